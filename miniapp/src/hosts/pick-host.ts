// Chooses the host adapter once at start-up. The SDK adapters are imported lazily so a plain browser never downloads
// @wecom/jssdk or dingtalk-jsapi (and neither messenger downloads the other's SDK).
import type { HostAdapter, HostName } from './host.ts';

/**
 * WeCom's UA carries both "wxwork" and "MicroMessenger", so wxwork is tested first; plain WeChat is not a supported
 * host and gets the browser adapter. /DingTalk/i is the test dingtalk-jsapi itself uses for dd.env.platform, so the
 * SDK need not load to decide. `?host=browser` forces the browser adapter for demos inside a messenger.
 */
export function detectHost(userAgent: string, search: string): HostName {
  if (new URLSearchParams(search).get('host') === 'browser') return 'browser';
  if (/wxwork/i.test(userAgent)) return 'wecom';
  if (/DingTalk/i.test(userAgent)) return 'dingtalk';
  return 'browser';
}

async function load(name: HostName): Promise<HostAdapter> {
  switch (name) {
    case 'wecom': return (await import('./wecom.ts')).wecomHost;
    case 'dingtalk': return (await import('./dingtalk.ts')).dingtalkHost;
    case 'browser': return (await import('./browser.ts')).browserHost;
  }
}

let picked: Promise<HostAdapter> | undefined;

export function pickHost(): Promise<HostAdapter> {
  picked ??= load(detectHost(navigator.userAgent, location.search)).catch((err: unknown) => {
    picked = undefined; // a chunk that failed to download (flaky network) may load on the next try
    throw err;
  });
  return picked;
}
