// Random ids made on the phone: an install id kept in localStorage (a weak device signal where the host gives
// none: clearing the WebView's data makes a new one) and one-time tokens such as the OAuth state.

export const INSTALL_ID_KEY = 'fv.deviceId';

/** Hex from crypto.getRandomValues (randomUUID is missing in older in-app WebViews). */
export function randomToken(bytes = 16): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** This install's id, created on first use; undefined when storage is blocked (private mode). */
export function installId(): string | undefined {
  try {
    const saved = localStorage.getItem(INSTALL_ID_KEY);
    if (saved) return saved;
    const id = randomToken(16);
    localStorage.setItem(INSTALL_ID_KEY, id);
    return id;
  } catch {
    return undefined;
  }
}
