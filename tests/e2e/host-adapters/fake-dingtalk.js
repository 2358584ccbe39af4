/* global window, location, setTimeout */
// A stand-in DingTalk client for the browser tests, on the two H5 bridges dingtalk-jsapi uses: Android's
// window.nuva.require() → fn(success, fail, service, action, params) and iOS's
// window.WebViewJavascriptBridge.callHandler(api, params, cb) with { errorCode: '0', result }.
// Like the client it grants a JS-API only after runtime.permission.requestJsApis (dd.config) with the signature of
// this page's URL ('sig-corp-URL' in these tests) and a jsApiList naming it; requestAuthCode needs no config.
// Set window.__fakeHost = { platform, corpId, agentId, behaviour } before this script runs.
(function installFakeDingTalk() {
  const host = window.__fakeHost;
  const calls = [];
  host.calls = calls;
  let granted = null;

  const fail = (errorCode, errorMessage) => ({ fail: { errorCode, errorMessage } });
  const noConfigNeeded = ['runtime.permission.requestJsApis', 'runtime.permission.requestAuthCode'];

  const handlers = {
    'runtime.permission.requestJsApis'(p) {
      const ok = p.corpId === host.corpId && p.agentId === host.agentId && p.type === 0
        && p.timeStamp !== undefined && typeof p.nonceStr === 'string'
        && p.signature === `sig-corp-${location.href.split('#')[0]}` && Array.isArray(p.jsApiList);
      if (!ok) return fail('52013', '签名校验失败');
      granted = p.jsApiList;
      return { ok: {} };
    },
    'runtime.permission.requestAuthCode'(p) {
      return p.corpId === host.corpId ? { ok: { code: 'dd-auth-code' } } : fail('40078', 'corpId 不匹配');
    },
    'device.geolocation.get'(_p, b) {
      return b.location === 'denied' ? fail('11', '定位权限未开启，请在系统设置中允许钉钉访问位置') : { ok: b.location };
    },
    'biz.util.uploadImageFromCamera'(_p, b) {
      return b.camera === 'cancel' ? fail('-1', '用户取消') : { ok: ['https://static.dingtalk.com/media/lADPfake_1280_960.jpg'] };
    },
    'biz.util.scan'(_p, b) {
      return b.scan === null ? fail('-1', '用户取消') : { ok: { text: b.scan } };
    },
    'device.base.getUUID'() {
      return { ok: { uuid: 'dd-uuid-1' } };
    },
  };

  function answer(api, params) {
    calls.push({ api, params: JSON.parse(JSON.stringify(params || {})) });
    if (!noConfigNeeded.includes(api) && (!granted || !granted.includes(api))) return fail('7', '没有调用该接口的权限');
    return handlers[api] ? handlers[api](params || {}, host.behaviour) : fail('1', `${api} not exist`);
  }

  if (host.platform === 'android') {
    const bridge = (success, failure, service, action, params) => {
      const res = answer(`${service}.${action}`, params);
      setTimeout(() => (res.fail ? failure(res.fail) : success(res.ok)), 5);
    };
    window.nuva = { isReady: true, require: () => bridge };
  } else {
    window.WebViewJavascriptBridge = {
      init() {},
      registerHandler() {},
      callHandler(api, params, cb) {
        const res = answer(api, params);
        setTimeout(() => cb(res.fail ? res.fail : { errorCode: '0', result: res.ok }), 5);
      },
    };
  }
})();
