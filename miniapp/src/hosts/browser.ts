// Plain-browser adapter for demos and development: the W3C geolocation API, a file input that asks for the camera,
// and a prompt in place of a scanner. Login goes through the server's dev login, so there is no host code.
import type { CapturedPhoto, Fix, HostAdapter } from './host.ts';
import { HostError } from './host-error.ts';
import { installId } from './local-ids.ts';
import { makeFix } from './readings.ts';

export const SCAN_PROMPT = '请输入门店码 / Enter the store code';

function positionError(err: GeolocationPositionError): HostError {
  const code = err.code === err.PERMISSION_DENIED ? 'permissionDenied'
    : err.code === err.TIMEOUT ? 'timeout'
      : 'unavailable';
  return new HostError(code, 'location', 'browser', err.message);
}

export const browserHost: HostAdapter = {
  name: 'browser',

  async loginCode() {
    return null;
  },

  async ready() {
    // nothing to register
  },

  locate(): Promise<Fix> {
    const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
    if (!geo) return Promise.reject(new HostError('unavailable', 'location', 'browser', 'no navigator.geolocation'));
    return new Promise<Fix>((resolve, reject) => {
      geo.getCurrentPosition(
        (pos) => {
          try {
            resolve(makeFix('browser', { lng: pos.coords.longitude, lat: pos.coords.latitude, accuracy: pos.coords.accuracy }, {
              system: 'WGS84',
              // The page's clock, like every other step (maximumAge 0 keeps the reading fresh): a position's own
              // timestamp may come from another clock (the GPS chip), and stay/travel rules compare the two.
              deviceTime: new Date().toISOString(),
            }));
          } catch (err) {
            reject(err);
          }
        },
        (err) => reject(positionError(err)),
        { enableHighAccuracy: true, maximumAge: 0, timeout: 15_000 },
      );
    });
  },

  /**
   * A hidden <input capture="environment">. Must run inside a tap handler (browsers open file pickers only on a user
   * gesture). A browser cannot tell camera from album, so the source is 'unknown'; the file's lastModified is sent as
   * the device time, which gives an old album photo away. Cancel is detected where the input fires 'cancel'
   * (Chromium ≥ 113, Safari ≥ 16.4); elsewhere the promise stays pending until the next pick.
   */
  takePhoto(): Promise<CapturedPhoto> {
    return new Promise<CapturedPhoto>((resolve, reject) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = 'image/*';
      input.setAttribute('capture', 'environment');
      input.style.display = 'none';
      const done = (): void => input.remove();
      input.addEventListener('change', () => {
        const file = input.files?.[0];
        done();
        if (!file) {
          reject(new HostError('cancelled', 'camera', 'browser'));
          return;
        }
        const taken = file.lastModified > 0 ? new Date(file.lastModified) : new Date();
        resolve({ kind: 'blob', blob: file, source: 'unknown', deviceTime: taken.toISOString() });
      }, { once: true });
      input.addEventListener('cancel', () => {
        done();
        reject(new HostError('cancelled', 'camera', 'browser'));
      }, { once: true });
      document.body.appendChild(input);
      input.click();
    });
  },

  async scan() {
    const text = window.prompt(SCAN_PROMPT);
    return text?.trim() ? text.trim() : null;
  },

  async deviceId() {
    return installId();
  },
};
