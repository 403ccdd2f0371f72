/**
 * Sign-in protections, each through the HTTP API: the per-address failure limit, access-token
 * expiry (on an injected clock), refresh after logout, and disabled accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, PASSWORD, startTestPlatform, type TestPlatform } from './harness';

describe.each(ENGINES)('sessions on %s', (engine) => {
  let t: TestPlatform;
  /** Added to the real time: lets a test jump past a token's expiry. */
  let clockOffsetMs = 0;
  beforeAll(async () => {
    t = await startTestPlatform(engine, { loginMaxFailuresPerAddress: 3, loginMaxFailuresPerAccount: 100 }, { now: () => Date.now() + clockOffsetMs });
  }, 60_000);
  afterAll(async () => t?.close());

  const login = (account: string, password: string, remoteAddress: string) =>
    t.request({ method: 'POST', url: '/v1/auth/login', body: { account, password, clientId: `test-${account}` }, remoteAddress });
  const refresh = (refreshToken: string) => t.request({ method: 'POST', url: '/v1/auth/refresh', body: { refreshToken } });
  const me = (token: string) => t.request({ method: 'GET', url: '/v1/me', token });

  it('limits failed sign-ins per address, whatever the account, and leaves other addresses alone', async () => {
    const attacker = '203.0.113.7';
    const neighbour = '203.0.113.8';
    // Different accounts each time: only the per-address limit (3) can trip, not the per-account one.
    for (const account of ['nobody-1', 'agent01', 'lead01']) expect((await login(account, 'wrong-password', attacker)).statusCode).toBe(401);
    const limited = await login('admin01', 'wrong-password', attacker);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The right password from that address waits out the window too.
    expect((await login('agent01', PASSWORD, attacker)).statusCode).toBe(429);
    // Another address signs the same account in.
    expect((await login('agent01', PASSWORD, neighbour)).statusCode).toBe(200);
  });

  it('refuses an access token once it has expired (and not before)', async () => {
    const session = (await login('agent01', PASSWORD, '198.51.100.1')).json();
    const ttlMs = session.expiresIn * 1000;
    expect(ttlMs).toBeGreaterThan(10_000);
    try {
      expect((await me(session.accessToken)).statusCode).toBe(200);
      clockOffsetMs = ttlMs - 5_000;
      expect((await me(session.accessToken)).statusCode).toBe(200);
      clockOffsetMs = ttlMs + 1_000;
      const expired = await me(session.accessToken);
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.code).toBe('unauthenticated');
      // A fresh token issued at the new time works again: the server's clock, not the test's, decides.
      const later = (await login('agent01', PASSWORD, '198.51.100.1')).json();
      expect((await me(later.accessToken)).statusCode).toBe(200);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('refuses a refresh token after logout', async () => {
    const session = (await login('agent01', PASSWORD, '198.51.100.2')).json();
    const out = await t.request({ method: 'POST', url: '/v1/auth/logout', body: { refreshToken: session.refreshToken } });
    expect(out.statusCode).toBe(204);
    const r = await refresh(session.refreshToken);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('unauthenticated');
    // A session that did not log out still refreshes (the refusal is about the logout).
    const other = (await login('agent01', PASSWORD, '198.51.100.2')).json();
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });

  it('lets a disabled account neither sign in nor refresh', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/admin/users',
      token: t.admin.accessToken,
      body: { account: 'agent-leaving', displayName: '离职坐席', role: 'agent', orgCode: 'QY-12345', password: 'long-enough-pw' },
    });
    expect(created.statusCode).toBe(201);
    const address = '198.51.100.3';
    const before = await login('agent-leaving', 'long-enough-pw', address);
    expect(before.statusCode).toBe(200);
    const spare = (await login('agent-leaving', 'long-enough-pw', address)).json();
    await t.platform.services.db.query(`update users set disabled = true where account = 'agent-leaving'`);
    const signIn = await login('agent-leaving', 'long-enough-pw', address);
    expect(signIn.statusCode).toBe(401);
    expect(signIn.json().error.code).toBe('unauthenticated');
    expect((await refresh(spare.refreshToken)).statusCode).toBe(401);
    // Enabled again, the same refresh token is still good: it was refused for the account, not spent.
    await t.platform.services.db.query(`update users set disabled = false where account = 'agent-leaving'`);
    expect((await refresh(spare.refreshToken)).statusCode).toBe(200);
  });
});
