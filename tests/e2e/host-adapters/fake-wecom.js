/* global window, location, setTimeout */
// A stand-in WeCom client for the browser tests: the window.WeixinJSBridge that @wecom/jssdk invokes, answering in
// the client's formats (Android: localIds as a JSON string, base64 without prefix and wrapped; iOS: data URLs and
// scan results wrapped in JSON). Like the real client it refuses any JS-API that no accepted config granted, and it
// accepts a config only when the signature is the one for this page's URL ('sig-KIND-URL' in these tests).
// Set window.__fakeHost = { platform, corpId, agentId, photoBase64, behaviour } before this script runs.
(function installFakeWeCom() {
  const host = window.__fakeHost;
  const calls = [];
  host.calls = calls;
  let granted = null;

  const pageUrl = () => location.href.split('#')[0];
  const wrap76 = (s) => s.replace(/(.{76})/g, '$1\n');

  const handlers = {
    preVerifyJSAPI(a) {
      if (a.appId !== host.corpId || a.verifySignature !== `sig-corp-${pageUrl()}`) {
        return { err_msg: 'config:invalid signature', err_code: 40093 };
      }
      granted = a.verifyJsApiList;
      return { err_msg: 'config:ok' };
    },
    agentConfig(a) {
      if (a.corpid !== host.corpId || a.agentid !== host.agentId || a.signature !== `sig-agent-${pageUrl()}`) {
        return { err_msg: 'agentConfig:fail invalid signature', err_code: 40093 };
      }
      granted = a.jsApiList;
      return { err_msg: 'agentConfig:ok' };
    },
    geoLocation(a, b) {
      if (b.location === 'denied') return { err_msg: 'getLocation:fail auth deny' };
      return { err_msg: 'getLocation:ok', type: a.type, speed: 0, ...b.location };
    },
    chooseImage(_a, b) {
      if (b.camera === 'cancel') return { err_msg: 'chooseImage:cancel' };
      const ids = ['wxLocalResource://photo-1'];
      return { err_msg: 'chooseImage:ok', localIds: host.platform === 'android' ? JSON.stringify(ids) : ids };
    },
    getLocalImgData(a, b) {
      if (b.localImgData === 'fail' || a.localId !== 'wxLocalResource://photo-1') return { err_msg: 'getLocalImgData:fail' };
      const localData = host.platform === 'android' ? wrap76(host.photoBase64) : `data:image/jpeg;base64,${host.photoBase64}`;
      return { err_msg: 'getLocalImgData:ok', localData };
    },
    uploadImage(a) {
      if (a.localId !== 'wxLocalResource://photo-1') return { err_msg: 'uploadImage:fail' };
      return { err_msg: 'uploadImage:ok', serverId: 'MEDIA_ID_1' };
    },
    scanQRCode(_a, b) {
      if (b.scan === null) return { err_msg: 'scanQRCode:cancel' };
      const resultStr = host.platform === 'ios' ? JSON.stringify({ scan_code: { scan_result: b.scan, scan_type: 'qrcode' } }) : b.scan;
      return { err_msg: 'scanQRCode:ok', resultStr };
    },
  };

  window.WeixinJSBridge = {
    invoke(name, args, cb) {
      calls.push({ name, args: JSON.parse(JSON.stringify(args || {})) });
      const isConfig = name === 'preVerifyJSAPI' || name === 'agentConfig';
      let res;
      if (!isConfig && (!granted || !granted.includes(name))) res = { err_msg: `${name}:access denied` };
      else if (handlers[name]) res = handlers[name](args || {}, host.behaviour);
      else res = { err_msg: `${name}:fail unknown api` };
      setTimeout(() => cb(res), 5);
    },
    on() {},
  };
})();
