// WeCom JS-SDK signature (WC doc 96909): SHA-1 hex of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`, in exactly this
// order, nothing URL-encoded, the URL without its `#…` part, timestamp in seconds. The same formula signs
// wx.config (corp ticket) and wx.agentConfig (agent ticket).
import { createHash } from 'node:crypto';
import { withoutFragment, type SignInput } from '../common/jsapi.ts';

export function wecomPlainText(input: SignInput): string {
  return `jsapi_ticket=${input.ticket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${withoutFragment(input.url)}`;
}

export function wecomSignature(input: SignInput): string {
  return createHash('sha1').update(wecomPlainText(input), 'utf8').digest('hex');
}
