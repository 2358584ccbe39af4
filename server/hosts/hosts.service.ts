// What the app asks of WeCom/DingTalk through the server: the tenant's public host settings, login with a one-time
// code, JS-API signatures, directory sync, and photos the host stores (downloaded into the visit like an upload).
import type { Types } from 'mongoose';
import type { Config } from '../config.ts';
import type { Models } from '../db/models.ts';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { TenantDoc } from '../tenants/tenant.model.ts';
import type { UserDoc } from '../users/user.model.ts';
import { userView, type UsersService } from '../users/users.service.ts';
import type { HostUsersRepo } from '../users/host-users.ts';
import type { VisitsService } from '../visits/visits.service.ts';
import type { Actor } from '../versioning/versioned.service.ts';
import type { HostName } from './common/host-http.ts';
import { assertSignableUrl } from './common/jsapi.ts';
import type { HostApp, HostApps } from './host-apps.ts';
import { dingtalkSettings, wecomSettings } from './host-settings.ts';
import { syncDirectory } from './directory-sync.ts';
import { managerOf, type OrgDept } from './org-chart.ts';
import type { DepartmentDoc } from './department.model.ts';

export interface HostLoginInput { tenant: string; host: HostName; code: string; deviceId?: string }
export interface SignatureInput { url: string; kind?: 'corp' | 'agent' }
export interface HostMediaInput { kind: string; source: 'camera'; deviceTime?: string; mediaId?: string; url?: string }

type RepActor = Actor & { role: string; name: string };

interface Deps { config: Config; apps: HostApps; users: UsersService; hostUsers: HostUsersRepo; visits: VisitsService; clock: Clock }

export function hostsService(models: Models, deps: Deps) {
  const tenantByCode = (code: string) => models.Tenant.findOne({ code }).lean<TenantDoc & { _id: Types.ObjectId }>();

  async function tenantOf(tenantId: Types.ObjectId): Promise<TenantDoc & { _id: Types.ObjectId }> {
    const tenant = await models.Tenant.findOne({ _id: tenantId }).lean<TenantDoc & { _id: Types.ObjectId }>();
    if (!tenant) throw new AppError('UNAUTHENTICATED');
    return tenant;
  }

  /** The manager a newly seen host user gets, from the departments of the last directory sync (if any). */
  async function managerFromSyncedChart(tenantId: Types.ObjectId, app: HostApp, hostUserId: string, mainDeptId: string | null): Promise<Types.ObjectId | null> {
    const depts = await models.Department.find({ tenantId, host: app.host }).lean<DepartmentDoc[]>();
    const chart = new Map<string, OrgDept>(depts.map((d) => [d.hostDeptId, { id: d.hostDeptId, parentId: d.parentHostDeptId, leaderIds: d.leaderHostUserIds }]));
    const leaderHostId = managerOf(hostUserId, mainDeptId, chart);
    if (!leaderHostId) return null;
    const leader = await deps.hostUsers.findLinked(tenantId, leaderHostId);
    return leader?.active ? leader._id : null;
  }

  async function provision(tenantId: Types.ObjectId, app: HostApp, hostUserId: string): Promise<UserDoc> {
    const profile = await app.user(hostUserId);
    const managerId = await managerFromSyncedChart(tenantId, app, hostUserId, profile.mainDepartmentId);
    return deps.hostUsers.create(tenantId, { hostUserId, host: app.host, name: profile.name || hostUserId, role: 'rep', managerId });
  }

  function configuredHost(tenant: TenantDoc): HostName {
    if (tenant.host === 'wecom' || tenant.host === 'dingtalk') return tenant.host;
    if (wecomSettings(tenant)) return 'wecom';
    if (dingtalkSettings(tenant)) return 'dingtalk';
    throw new AppError('HOST_NOT_CONFIGURED', [fieldError('/host', 'NOT_CONFIGURED', '该企业未接入企业微信或钉钉', 'The tenant is connected to neither WeCom nor DingTalk')]);
  }

  return {
    /** What an app shows before login (GET /hosts/bootstrap): public ids only, never a secret. */
    async bootstrap(code: string) {
      const tenant = await tenantByCode(code);
      if (!tenant) throw notFound({ zh: '企业', en: 'Tenant' }, '/query/tenant');
      const wecom = wecomSettings(tenant);
      const dingtalk = dingtalkSettings(tenant);
      return {
        tenant: { code: tenant.code, name: tenant.name },
        wecom: wecom ? { corpId: wecom.corpId, agentId: wecom.agentId } : null,
        dingtalk: dingtalk ? { corpId: dingtalk.corpId, agentId: dingtalk.agentId, clientId: dingtalk.clientId } : null,
        devLogin: deps.config.devLoginEnabled,
      };
    },

    /** Exchanges the host's one-time code for a session; same answer as the dev login. */
    async login(input: HostLoginInput) {
      const tenant = await tenantByCode(input.tenant);
      if (!tenant) throw new AppError('LOGIN_FAILED');
      const app = deps.apps.app(tenant, input.host);
      const identity = await app.userFromCode(input.code);
      let user = await deps.hostUsers.findLinked(tenant._id, identity.userId);
      if (!user) {
        if (!app.autoProvision) {
          throw new AppError('HOST_USER_NOT_LINKED', [fieldError('/code', 'NOT_LINKED', '该账号尚未关联到本企业的用户，且未开启自动开通', 'No user is linked to this host account and auto-provisioning is off')]);
        }
        user = await provision(tenant._id, app, identity.userId);
      }
      if (!user.active) throw new AppError('USER_DISABLED');
      // The host's own device id is trusted over the one the app reports.
      const deviceId = identity.deviceId ?? input.deviceId;
      if (deviceId) await deps.hostUsers.recordDevice(tenant._id, user, deviceId);
      const session = await deps.users.issueSession(tenant._id, user._id);
      return { ...session, user: userView(user), tenant: { id: tenant._id, code: tenant.code, name: tenant.name } };
    },

    async jsapiSignature(actor: Actor, host: HostName, input: SignatureInput) {
      assertSignableUrl(input.url, deps.config.jsapiOrigins);
      const app = deps.apps.app(await tenantOf(actor.tenantId), host);
      const signed = await app.sign(input.kind ?? 'corp', input.url);
      return { ...signed, corpId: app.corpId, agentId: app.agentId };
    },

    /** The departments of the last directory sync, each with its leaders as app users (null when not linked). */
    async departments(tenantId: Types.ObjectId) {
      const depts = await models.Department.find({ tenantId }).sort({ host: 1, hostDeptId: 1 }).lean<DepartmentDoc[]>();
      const linked = new Map((await deps.hostUsers.linked(tenantId)).map((u) => [u.hostUserId as string, u]));
      return depts.map((d) => ({
        id: String(d._id), host: d.host, hostDeptId: d.hostDeptId, name: d.name, parentHostDeptId: d.parentHostDeptId,
        leaders: d.leaderHostUserIds.map((hostUserId) => {
          const u = linked.get(hostUserId);
          return { hostUserId, userId: u ? String(u._id) : null, name: u?.name ?? null, active: u?.active ?? false };
        }),
      }));
    },

    /** For the route and for a scheduled job. */
    async syncDirectory(tenantId: Types.ObjectId, host?: HostName) {
      const tenant = await tenantOf(tenantId);
      const name = host ?? configuredHost(tenant);
      const dir = await deps.apps.app(tenant, name).directory();
      return syncDirectory({ models, users: deps.hostUsers, clock: deps.clock }, tenantId, name, dir);
    },

    /** Downloads the photo the host holds and stores it exactly like a multipart upload. */
    async addHostMediaPhoto(actor: RepActor, visitId: string, input: HostMediaInput) {
      if (Boolean(input.mediaId) === Boolean(input.url)) {
        throw new AppError('VALIDATION_FAILED', [fieldError(input.mediaId ? '/url' : '/mediaId', 'ONE_OF_MEDIA_ID_OR_URL', '请提供 mediaId（企业微信）或 url（钉钉）其中之一', 'Give exactly one of mediaId (WeCom) or url (DingTalk)')]);
      }
      await deps.visits.load(actor, visitId); // someone else's visit is a 404 before any host call
      const tenant = await tenantOf(actor.tenantId);
      const data = input.mediaId
        ? await deps.apps.wecom(tenant).client.media(input.mediaId)
        : await deps.apps.dingtalk(tenant).client.media(input.url as string);
      return deps.visits.addPhoto(actor, visitId, { kind: input.kind, source: input.source, deviceTime: input.deviceTime ? new Date(input.deviceTime) : undefined, data });
    },
  };
}

export type HostsService = ReturnType<typeof hostsService>;
