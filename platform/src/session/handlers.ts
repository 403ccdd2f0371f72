import crypto from 'node:crypto';
import { type sessionRoutes } from '../../../shared/session/routes';
import type { PlatformSession, PlatformUser } from '../../../shared/session/routes';
import type { Role } from '../../../shared/http/route';
import { ApiProblem } from '../errors';
import type { Services, Tx } from '../context';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { hashRefreshToken, newRefreshToken, signAccessToken } from './tokens';
import { appendAudit } from '../audit/audit-chain';
import type { HandlerTable } from '../handler';

interface UserRow {
  id: string;
  account: string;
  display_name: string;
  role: Role;
  org_code: string;
  password_hash: string;
  disabled: boolean;
}

const toUser = (u: UserRow): PlatformUser => ({ id: u.id, account: u.account, displayName: u.display_name, role: u.role, orgCode: u.org_code });

async function issueSession(tx: Tx, s: Services, user: UserRow, clientId: string, family: string): Promise<PlatformSession> {
  const refresh = newRefreshToken();
  await tx.query(
    `insert into refresh_tokens (token_hash, user_id, family, client_id, expires_at) values ($1, $2, $3, $4, now() + ($5 || ' seconds')::interval)`,
    [refresh.hash, user.id, family, clientId, String(s.config.refreshTokenTtlS)],
  );
  return {
    accessToken: signAccessToken({ sub: user.id, role: user.role, org: user.org_code, acct: user.account }, s.keys.tokenKey, s.config.accessTokenTtlS, s.now()),
    expiresIn: s.config.accessTokenTtlS,
    refreshToken: refresh.token,
    refreshExpiresIn: s.config.refreshTokenTtlS,
    user: toUser(user),
  };
}

/** Count a failure in a fixed window; throws rate_limited when over the limit. */
async function checkRateLimit(tx: Tx, key: string, max: number, windowS: number): Promise<void> {
  const r = await tx.query<{ failures: number; retry: number }>(
    `select failures, greatest(0, ceil(extract(epoch from (window_start + ($2 || ' seconds')::interval - now()))))::int as retry
     from login_attempts where key = $1 and window_start > now() - ($2 || ' seconds')::interval`,
    [key, String(windowS)],
  );
  const row = r.rows[0];
  if (row && row.failures >= max) {
    throw new ApiProblem('rate_limited', 'Too many failed sign-in attempts; try again later', undefined, { 'Retry-After': String(row.retry || windowS) });
  }
}

async function recordFailure(s: Services, key: string, windowS: number): Promise<void> {
  await s.db.query(
    `insert into login_attempts (key, window_start, failures) values ($1, now(), 1)
     on conflict (key) do update set
       failures = case when login_attempts.window_start > now() - ($2 || ' seconds')::interval then login_attempts.failures + 1 else 1 end,
       window_start = case when login_attempts.window_start > now() - ($2 || ' seconds')::interval then login_attempts.window_start else now() end`,
    [key, String(windowS)],
  );
}

export const sessionHandlers: HandlerTable<typeof sessionRoutes> = {
  login: async (ctx) => {
    const { account, password, clientId } = ctx.body;
    const acctKey = `acct:${account.toLowerCase()}`;
    const ipKey = `ip:${ctx.ip}`;
    await checkRateLimit(ctx.db, acctKey, ctx.config.loginMaxFailuresPerAccount, ctx.config.loginWindowS);
    await checkRateLimit(ctx.db, ipKey, ctx.config.loginMaxFailuresPerAddress, ctx.config.loginWindowS);
    const r = await ctx.db.query<UserRow>('select * from users where lower(account) = lower($1)', [account]);
    const user = r.rows[0];
    const ok = user ? await verifyPassword(password, user.password_hash) : (await verifyPassword(password, await dummyHash(ctx.config.scrypt)), false);
    if (!user || !ok || user.disabled) {
      await recordFailure(ctx, acctKey, ctx.config.loginWindowS);
      await recordFailure(ctx, ipKey, ctx.config.loginWindowS);
      ctx.log('warn', 'sign-in failed', { reason: user ? (user.disabled ? 'disabled' : 'password') : 'unknown account' });
      throw new ApiProblem('unauthenticated', 'Wrong account or password');
    }
    return ctx.db.transaction(async (tx) => {
      await tx.query('delete from login_attempts where key = $1', [acctKey]);
      await appendAudit(tx, { actorId: user.id, actorAccount: user.account, action: 'auth.login', subjectType: 'user', subjectId: user.id, detail: { clientId } });
      return { body: await issueSession(tx, ctx, user, clientId, crypto.randomUUID()) };
    });
  },

  refresh: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const hash = hashRefreshToken(ctx.body.refreshToken);
      const r = await tx.query<{ user_id: string; family: string; client_id: string; revoked_at: Date | null; expired: boolean }>(
        `select user_id, family, client_id, revoked_at, expires_at < now() as expired from refresh_tokens where token_hash = $1 for update`,
        [hash],
      );
      const token = r.rows[0];
      if (!token) throw new ApiProblem('unauthenticated', 'Unknown refresh token');
      if (token.revoked_at) {
        // A rotated token came back: someone holds a copy. Revoke the whole family.
        await tx.query('update refresh_tokens set revoked_at = now() where family = $1 and revoked_at is null', [token.family]);
        ctx.log('warn', 'refresh token reuse detected; session family revoked');
        return { status: 401, problem: new ApiProblem('unauthenticated', 'Refresh token already used; sign in again') };
      }
      if (token.expired) throw new ApiProblem('unauthenticated', 'Refresh token expired; sign in again');
      const u = await tx.query<UserRow>('select * from users where id = $1', [token.user_id]);
      const user = u.rows[0];
      if (!user || user.disabled) throw new ApiProblem('unauthenticated', 'Account disabled');
      await tx.query('update refresh_tokens set revoked_at = now() where token_hash = $1', [hash]);
      return { body: await issueSession(tx, ctx, user, token.client_id, token.family) };
    }),

  logout: async (ctx) => {
    await ctx.db.query('update refresh_tokens set revoked_at = now() where token_hash = $1 and revoked_at is null', [hashRefreshToken(ctx.body.refreshToken)]);
    return { body: null };
  },

  me: async (ctx) => {
    const r = await ctx.db.query<UserRow>('select * from users where id = $1', [ctx.user.sub]);
    if (!r.rows[0]) throw new ApiProblem('unauthenticated', 'Account no longer exists');
    return { body: toUser(r.rows[0]) };
  },

  createUser: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const b = ctx.body;
      const org = await tx.query('select 1 from organisations where code = $1', [b.orgCode]);
      if (org.rows.length === 0) throw new ApiProblem('invalid_request', 'Unknown organisation', [{ path: 'orgCode', message: 'unknown' }]);
      const exists = await tx.query('select 1 from users where lower(account) = lower($1)', [b.account]);
      if (exists.rows.length > 0) throw new ApiProblem('conflict', 'Account already exists');
      const row: UserRow = {
        id: crypto.randomUUID(),
        account: b.account,
        display_name: b.displayName,
        role: b.role,
        org_code: b.orgCode,
        password_hash: await hashPassword(b.password, ctx.config.scrypt),
        disabled: false,
      };
      await tx.query('insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $3, $4, $5, $6)', [
        row.id,
        row.account,
        row.display_name,
        row.role,
        row.org_code,
        row.password_hash,
      ]);
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'admin.createUser', subjectType: 'user', subjectId: row.id, detail: { role: row.role, org: row.org_code } });
      return { status: 201, body: toUser(row) };
    }),
};
