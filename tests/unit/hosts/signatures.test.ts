// JS-API signatures: WeCom's documented vector (WC doc 96909) and DingTalk's classic SHA-1 with the URL's query
// decoded and the fragment dropped; the SHA-256 variant stays available behind the documented constant.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { wecomPlainText, wecomSignature } from '../../../server/hosts/wecom/wecom.signature.ts';
import { DINGTALK_SIGNATURE_ALGORITHM, dingtalkPlainText, dingtalkSignature, dingtalkSignedUrl } from '../../../server/hosts/dingtalk/dingtalk.signature.ts';
import { assertSignableUrl } from '../../../server/hosts/common/jsapi.ts';
import type { AppError } from '../../../server/http/errors.ts';

const DOC_TICKET = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';

describe('WeCom signature', () => {
  const doc = { ticket: DOC_TICKET, nonceStr: 'Wm3WZYTPz0wzccnW', timestamp: 1414587457, url: 'http://mp.weixin.qq.com?params=value' };

  it('reproduces the documented example', () => {
    expect(wecomPlainText(doc)).toBe(`jsapi_ticket=${DOC_TICKET}&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http://mp.weixin.qq.com?params=value`);
    expect(wecomSignature(doc)).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });

  it('ignores the #fragment and does not re-encode the URL', () => {
    expect(wecomSignature({ ...doc, url: `${doc.url}#/visits/1` })).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
    expect(wecomPlainText({ ...doc, url: 'https://a.example/p?q=%E4%B8%AD' })).toContain('url=https://a.example/p?q=%E4%B8%AD');
  });

  it('changes when any input changes', () => {
    expect(wecomSignature({ ...doc, timestamp: 1414587458 })).not.toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });
});

describe('DingTalk signature', () => {
  // The plain-text example of DingTalk's JS-API authentication doc; the digest is computed independently here.
  const doc = { ticket: 'mS5k98fdkdgDKxkXGEs8LORVREiweeWETE40P37wkidkfksDSKDJFD5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcKIDU8l', nonceStr: 'Zn4zmLFKD0wzilzM', timestamp: 1414588745, url: 'http://open.dingtalk.com' };
  const plain = `jsapi_ticket=${doc.ticket}&noncestr=Zn4zmLFKD0wzilzM&timestamp=1414588745&url=http://open.dingtalk.com`;

  it('uses classic SHA-1 over the documented plain text', () => {
    expect(DINGTALK_SIGNATURE_ALGORITHM).toBe('sha1');
    expect(dingtalkPlainText(doc)).toBe(plain);
    expect(dingtalkSignature(doc)).toBe(createHash('sha1').update(plain).digest('hex'));
  });

  it('SHA-256 is one constant away (the conflict noted in docs/hosts.md)', () => {
    expect(dingtalkSignature(doc, 'sha256')).toBe(createHash('sha256').update(plain).digest('hex'));
    expect(dingtalkSignature(doc, 'sha256')).not.toBe(dingtalkSignature(doc));
  });

  it('decodes the query (iOS passes encoded URLs), drops the fragment, leaves scheme, host and path alone', () => {
    expect(dingtalkSignedUrl('https://app.example.com/m/index.html?corpId=ding1&name=%E5%BC%A0%E4%B8%89#/home')).toBe('https://app.example.com/m/index.html?corpId=ding1&name=张三');
    expect(dingtalkSignedUrl('https://app.example.com/a%20b/?x=1+2')).toBe('https://app.example.com/a%20b/?x=1 2');
    expect(dingtalkSignedUrl('https://app.example.com/#/x?y=%41')).toBe('https://app.example.com/');
    expect(dingtalkSignedUrl('https://app.example.com/?bad=%E4%B8')).toBe('https://app.example.com/?bad=%E4%B8');
    // An encoded and a plain page URL get the same signature.
    const encoded = dingtalkSignature({ ...doc, url: 'https://app.example.com/?n=%E5%BC%A0' });
    expect(encoded).toBe(dingtalkSignature({ ...doc, url: 'https://app.example.com/?n=张' }));
  });
});

describe('signable page URLs', () => {
  const origins = ['https://visits.example.com'];
  const code = (url: string) => {
    try { assertSignableUrl(url, origins); return 'ok'; } catch (e) { return (e as AppError).details[0]?.code; }
  };

  it('accepts pages on an allowed origin, with any path, query or fragment', () => {
    expect(code('https://visits.example.com/m/?a=1#/visit/2')).toBe('ok');
  });

  it('refuses other origins, other schemes, junk and over-long URLs', () => {
    expect(code('https://evil.example.com/m/')).toBe('ORIGIN_NOT_ALLOWED');
    expect(code('http://visits.example.com/m/')).toBe('ORIGIN_NOT_ALLOWED');
    expect(code('javascript:alert(1)')).toBe('INVALID_URL');
    expect(code('not a url')).toBe('INVALID_URL');
    expect(code(`https://visits.example.com/${'a'.repeat(1100)}`)).toBe('TOO_LONG');
  });
});
