// DingTalk JS-API (dd.config) signature. Plain text `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` with the URL's query
// percent-decoded (iOS hands over encoded URLs; DingTalk's own sample decodes the query with URLDecoder, which also
// turns '+' into a space) and no `#…` part.
//
// Hash: the long-standing doc and most code use SHA-1 hex. Some newer code that pairs with the v1.0 jsapiTickets
// endpoint uses SHA-256 hex (docs/platform.md §5, "conflict"). We use the classic ticket endpoint
// (GET /get_jsapi_ticket), so SHA-1. If DingTalk's signature checker says otherwise for an org, change this constant.
import { createHash } from 'node:crypto';
import { withoutFragment, type SignInput } from '../common/jsapi.ts';

export const DINGTALK_SIGNATURE_ALGORITHM: 'sha1' | 'sha256' = 'sha1';

/** Java's URLDecoder.decode: '+' is a space, %XX is UTF-8. A malformed escape leaves the query as it was. */
function formDecode(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return query;
  }
}

/** The URL as DingTalk signs it: scheme, authority and path untouched, the query decoded, no fragment. */
export function dingtalkSignedUrl(url: string): string {
  const page = withoutFragment(url);
  const q = page.indexOf('?');
  return q < 0 ? page : page.slice(0, q + 1) + formDecode(page.slice(q + 1));
}

export function dingtalkPlainText(input: SignInput): string {
  return `jsapi_ticket=${input.ticket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${dingtalkSignedUrl(input.url)}`;
}

export function dingtalkSignature(input: SignInput, algorithm = DINGTALK_SIGNATURE_ALGORITHM): string {
  return createHash(algorithm).update(dingtalkPlainText(input), 'utf8').digest('hex');
}
