import { z } from 'zod';
import { defineRoute, emptySchema, noContentSchema, roleSchema, textSchema, uuidSchema } from '../http/route';

export const clientIdSchema = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const userSchema = z
  .object({
    id: uuidSchema,
    account: z.string(),
    displayName: z.string(),
    role: roleSchema,
    orgCode: z.string(),
  })
  .strict();
export type PlatformUser = z.infer<typeof userSchema>;

export const sessionSchema = z
  .object({
    accessToken: z.string(),
    /** Seconds until the access token expires. */
    expiresIn: z.number().int().positive(),
    refreshToken: z.string(),
    refreshExpiresIn: z.number().int().positive(),
    user: userSchema,
  })
  .strict();
export type PlatformSession = z.infer<typeof sessionSchema>;

const accountSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only');

export const sessionRoutes = {
  login: defineRoute({
    id: 'auth.login',
    method: 'POST',
    path: '/v1/auth/login',
    summary: 'Sign in with account and password; returns a short-lived access token and a refresh token',
    tag: 'auth',
    auth: 'public',
    body: z.object({ account: accountSchema, password: z.string().min(1).max(256), clientId: clientIdSchema }).strict(),
    successStatus: 200,
    response: sessionSchema,
  }),
  refresh: defineRoute({
    id: 'auth.refresh',
    method: 'POST',
    path: '/v1/auth/refresh',
    summary: 'Exchange a refresh token for a new session (the old refresh token is revoked)',
    tag: 'auth',
    auth: 'public',
    body: z.object({ refreshToken: z.string().min(16).max(256) }).strict(),
    successStatus: 200,
    response: sessionSchema,
  }),
  logout: defineRoute({
    id: 'auth.logout',
    method: 'POST',
    path: '/v1/auth/logout',
    summary: 'Revoke a refresh token',
    tag: 'auth',
    auth: 'public',
    body: z.object({ refreshToken: z.string().min(16).max(256) }).strict(),
    successStatus: 204,
    response: noContentSchema,
  }),
  me: defineRoute({
    id: 'auth.me',
    method: 'GET',
    path: '/v1/me',
    summary: 'The signed-in user',
    tag: 'auth',
    auth: ['agent', 'subcenter', 'lead', 'admin'],
    query: emptySchema,
    successStatus: 200,
    response: userSchema,
  }),
  createUser: defineRoute({
    id: 'admin.createUser',
    method: 'POST',
    path: '/v1/admin/users',
    summary: 'Create a user (admin)',
    tag: 'admin',
    auth: ['admin'],
    body: z
      .object({
        account: accountSchema,
        displayName: textSchema(40).min(1),
        role: roleSchema,
        orgCode: z.string().min(1).max(32),
        password: z.string().min(10).max(256),
      })
      .strict(),
    successStatus: 201,
    response: userSchema,
  }),
} as const;
