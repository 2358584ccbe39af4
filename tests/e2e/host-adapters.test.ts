// The mini-app's host adapters with the real @wecom/jssdk and dingtalk-jsapi in headless Chromium. The messengers
// are stood in for by fake bridges (tests/e2e/host-adapters/fake-*.js) that speak the bridge protocols the SDKs use
// and refuse JS-APIs that a correctly signed config did not grant, so each test checks what the host receives
// and what the app gets back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { build } from 'vite';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { TenantBootstrap } from '../../miniapp/src/hosts/host.ts';
import { scenePhoto } from '../helpers/images.ts';

const FIXTURES = fileURLToPath(new URL('./host-adapters/', import.meta.url));
const BOOT: TenantBootstrap = {
  tenant: { code: 'acme', name: 'Acme' },
  wecom: { corpId: 'ww-corp-1', agentId: '1000002' },
  dingtalk: { corpId: 'ding-corp-1', agentId: '2000003', clientId: 'dingclient' },
  devLogin: false,
};

const ANDROID = 'Mozilla/5.0 (Linux; Android 12; PGBM10 Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 Mobile Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const UA = {
  wecomAndroid: `${ANDROID} wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light`,
  wecomIos: `${IPHONE} wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light`,
  wecomOld: `${ANDROID} wxwork/3.0.16 MicroMessenger/7.0.1 NetType/WIFI Language/zh`,
  wechat: `${ANDROID} MicroMessenger/8.0.40.2420(0x28002851) NetType/WIFI Language/zh_CN`,
  dingtalkAndroid: `${ANDROID} AliApp(DingTalk/7.0.40) com.alibaba.android.rimet/36871698 Channel/700159 language/zh-CN UT4Aplus/0.2.25 colorScheme/light`,
  dingtalkIosOld: `${IPHONE} AliApp(DingTalk/2.7.0) com.laiwang.DingTalk/2.7.0 Channel/201200 language/zh-Hans-CN`,
  chrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};

interface Outcome {
  ok?: Record<string, unknown> & { blob?: { type: string; size: number; bytes: number[] } };
  error?: { code?: string; op?: string; host?: string; zh?: string; en?: string; message: string };
}
interface FakeCall { name?: string; api?: string; args?: Record<string, unknown>; params?: Record<string, unknown> }
/** What the test page puts on window (see host-adapters/entry.js and fake-*.js). */
interface TestWindow {
  hostTest: {
    run(host: string, method: string, arg?: unknown): Promise<Outcome>;
    picked(): Promise<string>;
    storage(key: string): string | null;
    arm(host: string, method: string): void;
    last: Promise<Outcome> | undefined;
    signs: { kind: string; url: string }[];
    signMode: string;
  };
  __fakeHost: { calls: FakeCall[]; behaviour: Record<string, unknown> };
}
// Page functions are serialised into the page, so they reach its globals through this cast, never a helper.

let browser: Browser;
let server: http.Server;
let outDir: string;
let base: string;
let photo: Buffer;
const requested: { path: string; userAgent: string }[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'fv-host-adapters-'));
  await build({
    configFile: false,
    root: FIXTURES,
    base: '/app/',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2020', minify: false, reportCompressedSize: false },
  });
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requested.push({ path: url.pathname, userAgent: req.headers['user-agent'] ?? '' });
    const rel = url.pathname.replace(/^\/app\//, '');
    const file = path.join(outDir, rel);
    if (!file.startsWith(outDir) || rel.includes('..')) { res.writeHead(404).end(); return; }
    readFile(file).then((body) => {
      const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
    }, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/index.html`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  photo = await scenePhoto(7, 96, 72);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

type Fake = { kind: 'wecom' | 'dingtalk'; platform: 'android' | 'ios'; behaviour?: Record<string, unknown> };

async function open(userAgent: string, fake?: Fake, options: BrowserContextOptions = {}, query = '?tenant=acme#/visits'): Promise<Page> {
  const context = await browser.newContext({ userAgent, ...options });
  if (fake) {
    const corp = fake.kind === 'wecom' ? BOOT.wecom : BOOT.dingtalk;
    const config = { platform: fake.platform, corpId: corp?.corpId, agentId: corp?.agentId, photoBase64: photo.toString('base64'), behaviour: fake.behaviour ?? {} };
    await context.addInitScript({ content: `window.__fakeHost = ${JSON.stringify(config)};` });
    await context.addInitScript({ path: path.join(FIXTURES, `fake-${fake.kind}.js`) });
  }
  const page = await context.newPage();
  await page.goto(base + query);
  await page.waitForFunction(() => 'hostTest' in globalThis);
  return page;
}

function run(page: Page, host: string, method: string, arg?: unknown): Promise<Outcome> {
  return page.evaluate(([h, m, a]) => (globalThis as unknown as TestWindow).hostTest.run(h as string, m as string, a), [host, method, arg] as const);
}
function hostCalls(page: Page): Promise<FakeCall[]> {
  return page.evaluate(() => (globalThis as unknown as TestWindow).__fakeHost.calls);
}
async function lastCall(page: Page, name: string): Promise<Record<string, unknown>> {
  const call = (await hostCalls(page)).filter((c) => (c.name ?? c.api) === name).at(-1);
  expect(call, `host received ${name}`).toBeDefined();
  return (call?.args ?? call?.params) as Record<string, unknown>;
}
function behave(page: Page, behaviour: Record<string, unknown>): Promise<void> {
  return page.evaluate((b) => { Object.assign((globalThis as unknown as TestWindow).__fakeHost.behaviour, b); }, behaviour);
}
const pageUrl = (): string => `${base}?tenant=acme`;
const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe('WeCom adapter on the real @wecom/jssdk', () => {
  const shanghai = { latitude: 31.2304, longitude: 121.4737, accuracy: 30 };

  it('logs in through WeCom OAuth: redirects with corp, agent and a state, then takes the returned code off the URL', async () => {
    const page = await open(UA.wecomAndroid, { kind: 'wecom', platform: 'android' });
    await page.route('https://open.weixin.qq.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: 'oauth' }));
    await page.evaluate((boot) => { void (globalThis as unknown as TestWindow).hostTest.run('wecom', 'loginCode', boot); }, BOOT);
    await page.waitForURL(/open\.weixin\.qq\.com/);
    const oauth = new URL(page.url());
    expect(oauth.origin + oauth.pathname).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(oauth.hash).toBe('#wechat_redirect');
    expect(Object.fromEntries(oauth.searchParams)).toEqual({
      appid: 'ww-corp-1', redirect_uri: pageUrl(), response_type: 'code', scope: 'snsapi_base',
      state: expect.stringMatching(/^[a-f0-9]{32}$/), agentid: '1000002',
    });

    // WeCom sends the phone back to redirect_uri?code=&state=; the adapter hands over the code and restores the route.
    const state = oauth.searchParams.get('state');
    await page.goto(`${pageUrl()}&code=WECOM-CODE&state=${state}`);
    await page.waitForFunction(() => 'hostTest' in globalThis);
    expect(await run(page, 'wecom', 'loginCode', BOOT)).toEqual({ ok: 'WECOM-CODE' });
    expect(page.url()).toBe(`${pageUrl()}#/visits`);

    // A code that comes back with someone else's state is refused and still removed.
    await page.goto(`${pageUrl()}&code=FORGED&state=not-ours`);
    await page.waitForFunction(() => 'hostTest' in globalThis);
    expect((await run(page, 'wecom', 'loginCode', BOOT)).error).toMatchObject({ code: 'failed', op: 'login', host: 'wecom' });
    expect(page.url()).toBe(pageUrl());
  });

  it('registers with an agent signature of the page URL, then locates, photographs and scans (Android client)', async () => {
    const page = await open(UA.wecomAndroid, { kind: 'wecom', platform: 'android', behaviour: { location: shanghai, scan: 'STORE-0042' } });

    expect(await run(page, 'wecom', 'ready', BOOT)).toEqual({ ok: { undefined: true } });
    expect(await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.signs)).toEqual([{ kind: 'agent', url: pageUrl() }]);
    // WeCom ≥ 3.0.24: agentConfig alone, with the SDK's client-side API names.
    expect((await hostCalls(page)).map((c) => c.name)).toEqual(['agentConfig']);
    expect(await lastCall(page, 'agentConfig')).toEqual({
      corpid: 'ww-corp-1', agentid: '1000002', timestamp: '1700000000', nonceStr: 'nonce-agent',
      signature: `sig-agent-${pageUrl()}`, jsApiList: ['geoLocation', 'chooseImage', 'getLocalImgData', 'uploadImage', 'scanQRCode'],
    });

    const fix = await run(page, 'wecom', 'locate');
    expect(fix.ok).toEqual({ lng: 121.4737, lat: 31.2304, system: 'GCJ02', accuracyM: 30, provider: 'unknown', deviceTime: isoTime });
    expect(await lastCall(page, 'geoLocation')).toMatchObject({ type: 'gcj02', verifySignature: `sig-agent-${pageUrl()}` });

    const shot = await run(page, 'wecom', 'takePhoto');
    expect(await lastCall(page, 'chooseImage')).toMatchObject({ count: 1, sizeType: ['original'], sourceType: ['camera'], isSaveToAlbum: 0 });
    expect(await lastCall(page, 'getLocalImgData')).toMatchObject({ localId: 'wxLocalResource://photo-1' });
    expect(shot.ok).toMatchObject({ kind: 'blob', source: 'camera', deviceTime: isoTime, blob: { type: 'image/jpeg', size: photo.length } });
    expect(Buffer.from(shot.ok?.blob?.bytes ?? [])).toEqual(photo);

    expect(await run(page, 'wecom', 'scan')).toEqual({ ok: 'STORE-0042' });
    expect(await lastCall(page, 'scanQRCode')).toMatchObject({ needResult: 1, scanType: ['qrCode'] });
  });

  it('falls back to uploadImage media when getLocalImgData fails, and maps cancel and denial', async () => {
    const page = await open(UA.wecomAndroid, { kind: 'wecom', platform: 'android', behaviour: { localImgData: 'fail' } });
    await run(page, 'wecom', 'ready', BOOT);

    const shot = await run(page, 'wecom', 'takePhoto');
    expect(shot.ok).toEqual({ kind: 'hostMedia', host: 'wecom', mediaId: 'MEDIA_ID_1', source: 'camera', deviceTime: isoTime });
    expect(await lastCall(page, 'uploadImage')).toMatchObject({ localId: 'wxLocalResource://photo-1', isShowProgressTips: 1 });

    await behave(page, { camera: 'cancel', scan: null, location: 'denied' });
    expect((await run(page, 'wecom', 'takePhoto')).error).toMatchObject({ code: 'cancelled', op: 'camera', zh: '已取消拍照' });
    expect(await run(page, 'wecom', 'scan')).toEqual({ ok: null });
    const denied = (await run(page, 'wecom', 'locate')).error;
    expect(denied).toMatchObject({ code: 'permissionDenied', op: 'location' });
    expect(denied?.zh).toContain('定位');
    expect(denied?.en).toContain('Location permission');
  });

  it('reads the iOS client formats: data-URL image data and JSON-wrapped scan results', async () => {
    const page = await open(UA.wecomIos, { kind: 'wecom', platform: 'ios', behaviour: { scan: 'STORE-9' } });
    await run(page, 'wecom', 'ready', BOOT);
    const shot = await run(page, 'wecom', 'takePhoto');
    expect(Buffer.from(shot.ok?.blob?.bytes ?? [])).toEqual(photo);
    expect(await run(page, 'wecom', 'scan')).toEqual({ ok: 'STORE-9' });
  });

  it('on WeCom < 3.0.24 signs both config and agentConfig; a bad signature fails ready with a friendly error', async () => {
    const old = await open(UA.wecomOld, { kind: 'wecom', platform: 'android' });
    expect((await run(old, 'wecom', 'ready', BOOT)).error).toBeUndefined();
    expect((await hostCalls(old)).map((c) => c.name)).toEqual(['preVerifyJSAPI', 'agentConfig']);
    expect(await lastCall(old, 'preVerifyJSAPI')).toMatchObject({ appId: 'ww-corp-1', verifySignature: `sig-corp-${pageUrl()}` });
    expect(await old.evaluate(() => (globalThis as unknown as TestWindow).hostTest.signs.map((s) => s.kind).sort())).toEqual(['agent', 'corp']);

    const bad = await open(UA.wecomAndroid, { kind: 'wecom', platform: 'android', behaviour: { location: shanghai } });
    await bad.evaluate(() => { (globalThis as unknown as TestWindow).hostTest.signMode = 'stale'; });
    expect((await run(bad, 'wecom', 'ready', BOOT)).error).toMatchObject({ code: 'notReady', op: 'config', host: 'wecom' });
    expect((await run(bad, 'wecom', 'locate')).error).toMatchObject({ code: 'notReady' });
  });

  it('keeps one install id across reloads (WeCom gives an H5 page none)', async () => {
    const page = await open(UA.wecomAndroid, { kind: 'wecom', platform: 'android' });
    const first = (await run(page, 'wecom', 'deviceId')).ok;
    expect(first).toMatch(/^[a-f0-9]{32}$/);
    await page.reload();
    await page.waitForFunction(() => 'hostTest' in globalThis);
    expect((await run(page, 'wecom', 'deviceId')).ok).toBe(first);
    expect(await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.storage('fv.deviceId'))).toBe(first);
  });
});

describe('DingTalk adapter on the real dingtalk-jsapi', () => {
  const reading = {
    longitude: 116.481, latitude: 39.99, accuracy: 15, address: '', provider: 'gps', isFromMock: true,
    isGpsEnabled: true, isWifiEnabled: true, netType: 'wifi', operatorType: 'CMCC',
  };

  it('gets an auth code without config, then configures, locates, photographs, scans and reads the UUID (Android nuva bridge)', async () => {
    const page = await open(UA.dingtalkAndroid, { kind: 'dingtalk', platform: 'android', behaviour: { location: reading, scan: 'STORE-7' } });

    expect(await run(page, 'dingtalk', 'loginCode', BOOT)).toEqual({ ok: 'dd-auth-code' });
    expect(await lastCall(page, 'runtime.permission.requestAuthCode')).toEqual({ corpId: 'ding-corp-1' });

    expect((await run(page, 'dingtalk', 'ready', BOOT)).error).toBeUndefined();
    expect(await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.signs)).toEqual([{ kind: 'corp', url: pageUrl() }]);
    expect(await lastCall(page, 'runtime.permission.requestJsApis')).toEqual({
      agentId: '2000003', corpId: 'ding-corp-1', timeStamp: 1700000000, nonceStr: 'nonce-corp',
      signature: `sig-corp-${pageUrl()}`, type: 0,
      jsApiList: ['device.geolocation.get', 'biz.util.uploadImageFromCamera', 'biz.util.scan', 'device.base.getUUID'],
    });

    const fix = await run(page, 'dingtalk', 'locate');
    expect(await lastCall(page, 'device.geolocation.get')).toEqual({ targetAccuracy: 50, coordinate: 1, withReGeocode: false, useCache: false });
    expect(fix.ok).toEqual({ lng: 116.481, lat: 39.99, system: 'GCJ02', accuracyM: 15, provider: 'gps', uncached: true, isMock: true, deviceTime: isoTime });

    const shot = await run(page, 'dingtalk', 'takePhoto');
    expect(shot.ok).toEqual({ kind: 'hostMedia', host: 'dingtalk', url: 'https://static.dingtalk.com/media/lADPfake_1280_960.jpg', source: 'camera', deviceTime: isoTime });
    expect(await lastCall(page, 'biz.util.uploadImageFromCamera')).toMatchObject({ compression: true });

    expect(await run(page, 'dingtalk', 'scan')).toEqual({ ok: 'STORE-7' });
    expect(await lastCall(page, 'biz.util.scan')).toMatchObject({ type: 'qrCode' });
    expect(await run(page, 'dingtalk', 'deviceId')).toEqual({ ok: 'dd-uuid-1' });

    await behave(page, { camera: 'cancel', scan: null, location: 'denied' });
    expect((await run(page, 'dingtalk', 'takePhoto')).error).toMatchObject({ code: 'cancelled', op: 'camera' });
    expect(await run(page, 'dingtalk', 'scan')).toEqual({ ok: null });
    expect((await run(page, 'dingtalk', 'locate')).error).toMatchObject({ code: 'permissionDenied', op: 'location', host: 'dingtalk' });
  });

  it('a rejected signature surfaces through dd.error as a friendly error, and no JS-API is granted', async () => {
    const page = await open(UA.dingtalkAndroid, { kind: 'dingtalk', platform: 'android', behaviour: { location: reading } });
    await page.evaluate(() => { (globalThis as unknown as TestWindow).hostTest.signMode = 'stale'; });
    expect((await run(page, 'dingtalk', 'ready', BOOT)).error).toMatchObject({ code: 'notReady', op: 'config', host: 'dingtalk' });
    expect((await run(page, 'dingtalk', 'locate')).error).toMatchObject({ code: 'notReady', op: 'location' });
  });

  it('works over the iOS WebViewJavascriptBridge; an iOS client older than 2.7.6 reports WGS-84', async () => {
    const { isFromMock: _m, provider: _p, ...iosReading } = reading; // Android-only fields
    const page = await open(UA.dingtalkIosOld, { kind: 'dingtalk', platform: 'ios', behaviour: { location: iosReading, scan: null } });
    expect(await run(page, 'dingtalk', 'loginCode', BOOT)).toEqual({ ok: 'dd-auth-code' });
    expect((await run(page, 'dingtalk', 'ready', BOOT)).error).toBeUndefined();
    expect((await run(page, 'dingtalk', 'locate')).ok).toEqual({ lng: 116.481, lat: 39.99, system: 'WGS84', accuracyM: 15, provider: 'unknown', uncached: true, deviceTime: isoTime });
    expect(await run(page, 'dingtalk', 'scan')).toEqual({ ok: null });
  });
});

describe('browser adapter', () => {
  it('locates with the W3C API as WGS-84 and maps a refused permission', async () => {
    const page = await open(UA.chrome, undefined, { permissions: ['geolocation'], geolocation: { latitude: 31.2, longitude: 121.5, accuracy: 12 } });
    expect((await run(page, 'browser', 'locate')).ok).toEqual({ lng: 121.5, lat: 31.2, system: 'WGS84', accuracyM: 12, provider: 'unknown', deviceTime: isoTime });

    const denied = await open(UA.chrome, undefined, { permissions: [] });
    expect((await run(denied, 'browser', 'locate')).error).toMatchObject({ code: 'permissionDenied', op: 'location', host: 'browser' });
  });

  it('takes the photo from a camera file input, and maps cancel', async () => {
    const page = await open(UA.chrome);
    await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.arm('browser', 'takePhoto'));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#go')]);
    expect(await chooser.element().getAttribute('capture')).toBe('environment');
    expect(await chooser.element().getAttribute('accept')).toBe('image/*');
    await chooser.setFiles({ name: 'shot.jpg', mimeType: 'image/jpeg', buffer: photo });
    const shot = await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.last);
    expect(shot?.ok).toMatchObject({ kind: 'blob', source: 'unknown', deviceTime: isoTime, blob: { type: 'image/jpeg' } });
    expect(Buffer.from(shot?.ok?.blob?.bytes ?? [])).toEqual(photo);
    expect(await page.locator('input[type=file]').count()).toBe(0);

    await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.arm('browser', 'takePhoto'));
    const [again] = await Promise.all([page.waitForEvent('filechooser'), page.click('#go')]);
    await again.setFiles([]);
    expect((await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.last))?.error).toMatchObject({ code: 'cancelled', op: 'camera' });
  });

  it('asks for the store code in a prompt and keeps an install id in localStorage', async () => {
    const page = await open(UA.chrome);
    page.once('dialog', (d) => {
      expect(d.type()).toBe('prompt');
      expect(d.message()).toBe('请输入门店码 / Enter the store code');
      void d.accept('  STORE-3 ');
    });
    expect(await run(page, 'browser', 'scan')).toEqual({ ok: 'STORE-3' });
    page.once('dialog', (d) => void d.dismiss());
    expect(await run(page, 'browser', 'scan')).toEqual({ ok: null });

    const id = (await run(page, 'browser', 'deviceId')).ok;
    expect(id).toMatch(/^[a-f0-9]{32}$/);
    expect(await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.storage('fv.deviceId'))).toBe(id);
    expect(await run(page, 'browser', 'loginCode', BOOT)).toEqual({ ok: null });
  });
});

describe('pickHost', () => {
  async function pick(userAgent: string, query?: string): Promise<{ name: string; chunks: string[] }> {
    const page = await open(userAgent, undefined, {}, query);
    const name = await page.evaluate(() => (globalThis as unknown as TestWindow).hostTest.picked());
    const chunks = requested
      .filter((r) => r.userAgent === userAgent && /\/(wecom|dingtalk|browser)-[^/]*\.js$/.test(r.path))
      .map((r) => path.basename(r.path).split('-')[0] ?? '');
    return { name, chunks };
  }

  it('picks the host from the user agent and downloads only that adapter', async () => {
    requested.length = 0;
    const [wecom, dingtalk, plain, wechat, forced] = await Promise.all([
      pick(UA.wecomAndroid),
      pick(UA.dingtalkAndroid),
      pick(UA.chrome),
      pick(UA.wechat),
      pick(UA.wecomIos, '?tenant=acme&host=browser'),
    ]);
    expect(wecom).toEqual({ name: 'wecom', chunks: ['wecom'] });
    expect(dingtalk).toEqual({ name: 'dingtalk', chunks: ['dingtalk'] });
    expect(plain).toEqual({ name: 'browser', chunks: ['browser'] });
    expect(wechat.name).toBe('browser'); // plain WeChat is not a supported host
    expect(forced).toEqual({ name: 'browser', chunks: ['browser'] });
  });
});
