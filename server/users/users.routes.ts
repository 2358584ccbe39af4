// Login, the current user, and user administration.
import { route } from '../http/route.ts';
import { AppError } from '../http/errors.ts';
import type { Role } from './user.model.ts';
import type { UsersService } from './users.service.ts';

const EVERYONE = ['admin', 'manager', 'rep'] as const;

export function userRoutes(users: UsersService, devLoginEnabled: boolean) {
  return [
    route<{ tenant: string; username: string }>({
      method: 'post', path: '/auth/dev-login', tag: 'auth', roles: 'public',
      summary: '开发登录（需显式开启）/ Development login, refused unless DEV_LOGIN_ENABLED',
      body: 'api/users.json#/$defs/DevLoginBody',
      handler: async ({ body }) => {
        if (!devLoginEnabled) throw new AppError('DEV_LOGIN_DISABLED');
        return users.devLogin(body.tenant, body.username);
      },
    }),
    route<unknown, { tenant: string }>({
      method: 'get', path: '/auth/dev-users', tag: 'auth', roles: 'public',
      summary: '开发登录可选用户（需显式开启）/ Users to pick from for the development login, refused unless DEV_LOGIN_ENABLED',
      query: 'api/users.json#/$defs/DevUsersQuery',
      handler: async ({ query }) => {
        if (!devLoginEnabled) throw new AppError('DEV_LOGIN_DISABLED');
        return { items: await users.devUsers(query.tenant) };
      },
    }),
    route({
      method: 'post', path: '/auth/logout', tag: 'auth', roles: EVERYONE, summary: '退出登录 / Log out',
      handler: async ({ ctx }) => {
        await users.endSession(ctx.get('authorization').replace(/^Bearer /, ''));
        return { ok: true };
      },
    }),
    route({
      method: 'get', path: '/me', tag: 'auth', roles: EVERYONE, summary: '当前用户 / Who am I',
      handler: async ({ auth }) => users.me(auth),
    }),
    route({
      method: 'get', path: '/users', tag: 'users', roles: ['admin', 'manager'], summary: '用户列表 / List users',
      handler: async ({ auth }) => ({ items: await users.list(auth) }),
    }),
    route<{ username: string; name: string; role: Role; managerId?: string }>({
      method: 'post', path: '/users', tag: 'users', roles: ['admin'], status: 201, summary: '新建用户 / Create a user',
      body: 'api/users.json#/$defs/CreateUserBody',
      handler: async ({ auth, body }) => users.create(auth, body),
    }),
    route<{ name?: string; role?: Role; managerId?: string | null; active?: boolean }, unknown, { id: string }>({
      method: 'patch', path: '/users/:id', tag: 'users', roles: ['admin'], summary: '修改用户（角色、上级、停用）/ Update a user',
      params: 'api/common.json#/$defs/IdParams', body: 'api/users.json#/$defs/UpdateUserBody',
      handler: async ({ auth, params, body }) => users.update(auth, params.id, body),
    }),
  ];
}
