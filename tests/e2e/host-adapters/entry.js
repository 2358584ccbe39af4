/* global window, document, localStorage, Blob */
// Test page for tests/e2e/host-adapters.test.ts: exposes the real adapters (built by Vite with the real SDKs) on
// window.hostTest and turns their results into plain data that page.evaluate can hand back.
import { pickHost } from '../../../miniapp/src/hosts/pick-host.ts';
import { HostError } from '../../../miniapp/src/hosts/host-error.ts';

const loaders = {
  wecom: () => import('../../../miniapp/src/hosts/wecom.ts').then((m) => m.wecomHost),
  dingtalk: () => import('../../../miniapp/src/hosts/dingtalk.ts').then((m) => m.dingtalkHost),
  browser: () => import('../../../miniapp/src/hosts/browser.ts').then((m) => m.browserHost),
  picked: () => pickHost(),
};

const signs = [];

// Stands in for POST /api/hosts/:host/jsapi-signature: the fake hosts accept exactly 'sig-KIND-URL'.
async function sign(kind, url) {
  signs.push({ kind, url });
  const signature = window.hostTest.signMode === 'stale' ? `sig-${kind}-https://elsewhere.example/` : `sig-${kind}-${url}`;
  return { timestamp: 1700000000, nonceStr: `nonce-${kind}`, signature };
}

async function plain(value) {
  if (value && typeof value === 'object' && value.blob instanceof Blob) {
    const bytes = Array.from(new Uint8Array(await value.blob.arrayBuffer()));
    return { ...value, blob: { type: value.blob.type, size: value.blob.size, bytes } };
  }
  return value === undefined ? { undefined: true } : value;
}

function describeError(err) {
  if (err instanceof HostError) {
    return { name: err.name, code: err.code, op: err.op, host: err.host, zh: err.zh, en: err.en, message: err.message, detail: err.detail };
  }
  return { name: err?.name ?? 'Error', message: String(err?.message ?? err) };
}

async function run(host, method, arg) {
  try {
    const adapter = await loaders[host]();
    const value = method === 'ready' ? await adapter.ready(arg, sign) : await adapter[method](arg);
    return { ok: await plain(value) };
  } catch (err) {
    return { error: describeError(err) };
  }
}

window.hostTest = {
  signs,
  signMode: 'good',
  run,
  picked: async () => (await pickHost()).name,
  storage: (key) => localStorage.getItem(key),
  /** Makes the #go button start host.method: file pickers open only on a real click. */
  arm(host, method) {
    window.hostTest.last = undefined;
    document.getElementById('go').onclick = () => {
      window.hostTest.last = run(host, method);
    };
  },
  last: undefined,
};
