/**
 * The reference platform's HTTP API as another role uses it during a test (an administrator
 * publishing an article, a shift lead returning or supervising an order): signed in through the
 * real login route, requests with the real idempotency and sequence fields.
 */
import crypto from 'node:crypto';

export interface PlatformUser {
  request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** A life-cycle action on an order (its current version read first). */
  act(orderId: string, action: string, extra?: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
}

let seq = Date.now();

export async function signInToPlatform(baseUrl: string, account: string, password: string): Promise<PlatformUser> {
  const clientId = `e2e-${account}`;
  const login = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account, password, clientId }) });
  if (login.status !== 200) throw new Error(`${account} could not sign in: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const request: PlatformUser['request'] = async (method, path, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${accessToken}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST' && path.includes('/actions')) headers['idempotency-key'] = crypto.randomUUID();
    const r = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
  return {
    request,
    async act(orderId, action, extra = {}) {
      const order = await request<{ version: number }>('GET', `/v1/orders/${orderId}`);
      return request('POST', `/v1/orders/${orderId}/actions`, { clientId, clientSeq: ++seq, baseVersion: order.body.version, action, ...extra });
    },
  };
}
