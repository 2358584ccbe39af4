// WeCom/DingTalk routes: host login, the public bootstrap, JS-API signatures, directory sync, and host-stored photos.
import { route } from '../http/route.ts';
import type { PhotosService } from '../photos/photos.service.ts';
import { photoView } from '../visits/visits.routes.ts';
import type { HostName } from './common/host-http.ts';
import type { HostLoginInput, HostMediaInput, HostsService, SignatureInput } from './hosts.service.ts';

const EVERYONE = ['admin', 'manager', 'rep'] as const;
const S = (name: string) => `api/hosts.json#/$defs/${name}`;

export function hostRoutes(hosts: HostsService, photos: PhotosService) {
  return [
    route<HostLoginInput>({
      method: 'post', path: '/auth/host-login', tag: 'auth', roles: 'public',
      summary: '企业微信/钉钉免登：用一次性 code 换取会话 / Log in with the host\'s one-time code',
      body: S('HostLoginBody'),
      handler: async ({ body }) => hosts.login(body),
    }),
    route<unknown, { tenant: string }>({
      method: 'get', path: '/hosts/bootstrap', tag: 'hosts', roles: 'public',
      summary: '登录前的企业接入信息（不含密钥）/ Public host settings of a tenant, before login',
      query: S('BootstrapQuery'),
      handler: async ({ query }) => hosts.bootstrap(query.tenant),
    }),
    route<SignatureInput, unknown, { host: HostName }>({
      method: 'post', path: '/hosts/:host/jsapi-signature', tag: 'hosts', roles: EVERYONE,
      summary: 'JS-API 签名（wx.config / wx.agentConfig / dd.config）/ Sign a page URL for the host JS-API',
      params: S('HostParams'), body: S('JsApiSignatureBody'),
      handler: async ({ auth, params, body }) => hosts.jsapiSignature(auth, params.host, body),
    }),
    route<{ host?: HostName }>({
      method: 'post', path: '/hosts/directory-sync', tag: 'hosts', roles: ['admin'], bodyOptional: true,
      summary: '同步通讯录（部门、成员、汇报关系）/ Sync departments, people and reporting lines from the host',
      body: S('DirectorySyncBody'),
      handler: async ({ auth, body }) => hosts.syncDirectory(auth.tenantId, body.host),
    }),
    route({
      method: 'get', path: '/hosts/departments', tag: 'hosts', roles: ['admin', 'manager'],
      summary: '通讯录部门及负责人（最近一次同步）/ Directory departments and their leaders, as last synced',
      handler: async ({ auth }) => ({ items: await hosts.departments(auth.tenantId) }),
    }),
    route<HostMediaInput, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/photos/host-media', tag: 'visits', roles: ['rep'], status: 201, idempotent: true,
      summary: '照片：由服务器从企业微信（mediaId）或钉钉（url）下载 / Add a photo the host stores (WeCom mediaId or DingTalk URL)',
      params: 'api/common.json#/$defs/IdParams', body: S('HostMediaPhotoBody'),
      handler: async ({ auth, params, body }) => photoView(await hosts.addHostMediaPhoto(auth, params.id, body), photos),
    }),
  ];
}
