/**
 * Access tokens: compact HS256 JWTs (sub, role, org, exp) verified without a database round trip,
 * short-lived (15 min). Refresh tokens: random, stored only as SHA-256, rotated on every use; a
 * reused (already rotated) refresh token revokes its whole family.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { roleSchema } from '../../../shared/http/route';

const claimsSchema = z.object({
  sub: z.string().uuid(),
  role: roleSchema,
  org: z.string(),
  acct: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessClaims = z.infer<typeof claimsSchema>;

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export function signAccessToken(claims: Omit<AccessClaims, 'iat' | 'exp'>, key: Buffer, ttlSeconds: number, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const payload = b64url(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds }));
  const sig = crypto.createHmac('sha256', key).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${sig}`;
}

export function verifyAccessToken(token: string, key: Buffer, now = Date.now()): AccessClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  // Compare the encoded form: base64url decoding ignores trailing bits, so bytes alone would accept
  // several spellings of one signature.
  const expected = Buffer.from(crypto.createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest('base64url'));
  const given = Buffer.from(parts[2]!);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = claimsSchema.parse(JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')));
    return claims.exp * 1000 > now ? claims : undefined;
  } catch {
    return undefined;
  }
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
