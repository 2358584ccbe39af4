// The service worker that keeps the app shell on the phone, so the app opens (and its queue resumes) offline.
// Its body is serialised with Function#toString by the build (vite.config.ts) with the list of built files, so it
// must stay self-contained: no imports, no outside variables. API calls are never intercepted.

interface SwEvent { waitUntil(p: Promise<unknown>): void }
interface SwFetchEvent extends SwEvent { request: Request; respondWith(r: Promise<Response>): void }
interface SwScope {
  location: Location;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', fn: (e: SwEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: SwFetchEvent) => void): void;
}

export function serviceWorkerMain(files: string[], version: string): void {
  const sw = self as unknown as SwScope;
  const CACHE = `fieldvisit-shell-${version}`;
  const base = new URL('./', sw.location.href).pathname; // /app/
  const shell = [base, ...files.map((f) => base + f)];

  // No skipWaiting: an open page keeps the release it started with (its lazy chunks are in the old cache); the new
  // shell takes over when the app is next opened.
  sw.addEventListener('install', (e) => {
    e.waitUntil(caches.open(CACHE).then((c) => c.addAll(shell)));
  });
  sw.addEventListener('activate', (e) => {
    e.waitUntil(caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('fieldvisit-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()));
  });
  sw.addEventListener('fetch', (e) => {
    const req = e.request;
    const url = new URL(req.url);
    if (req.method !== 'GET' || url.origin !== sw.location.origin || !url.pathname.startsWith(base)) return;
    if (req.mode === 'navigate') {
      // The page itself: fresh when online (a new release), the cached shell when not.
      e.respondWith(fetch(req).then((res) => {
        if (res.ok) void caches.open(CACHE).then((c) => c.put(base, res.clone()));
        return res;
      }).catch(async () => (await caches.match(base)) ?? Response.error()));
      return;
    }
    // Built files carry a content hash in their names: the cached copy is always right.
    e.respondWith(caches.match(req).then((hit) => hit ?? fetch(req)));
  });
}
