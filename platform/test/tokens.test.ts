/** Access tokens: a signature over something that is not a token's claims is still refused. */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from '../src/session/tokens';

const KEY = crypto.randomBytes(32);
const CLAIMS = { sub: crypto.randomUUID(), role: 'agent' as const, org: 'QY-12345', acct: 'agent01' };

/** A token correctly signed with KEY over any payload text. */
function signedOver(payloadText: string): string {
  const [header] = signAccessToken(CLAIMS, KEY, 60).split('.');
  const payload = Buffer.from(payloadText).toString('base64url');
  const sig = crypto.createHmac('sha256', KEY).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

describe('access tokens', () => {
  it('accepts its own token and returns the claims', () => {
    expect(verifyAccessToken(signAccessToken(CLAIMS, KEY, 60), KEY)).toMatchObject(CLAIMS);
  });

  it('refuses a correctly signed payload that is not JSON, or not the claims', () => {
    expect(verifyAccessToken(signedOver('not json'), KEY)).toBeUndefined();
    expect(verifyAccessToken(signedOver(JSON.stringify({ sub: 'x' })), KEY)).toBeUndefined();
  });
});
