/**
 * The platform API contract: every endpoint declared once with zod schemas. The reference server
 * (platform/) validates requests and replies against these; the workstation's client is typed
 * from them; the OpenAPI document is generated from them (and checked into the repo).
 */
import { z } from 'zod';

export const ROLES = ['agent', 'subcenter', 'lead', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly id: string;
  readonly method: HttpMethod;
  /** Path with `:param` segments, e.g. /v1/orders/:id */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  /** Roles allowed; 'public' needs no token. */
  readonly auth: readonly Role[] | 'public';
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Mutations that must carry an Idempotency-Key header. */
  readonly idempotent?: boolean;
  /** A larger body than the server's default allows (batch routes); larger bodies get 413 payload_too_large. */
  readonly maxBodyBytes?: number;
  readonly successStatus: 200 | 201 | 204;
  readonly response: R;
}

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  def: RouteDef<P, Q, B, R>,
): RouteDef<P, Q, B, R> {
  return def;
}

/** Every error the platform returns has this body. */
export const apiErrorSchema = z
  .object({
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      })
      .strict(),
  })
  .strict();
export type ApiError = z.infer<typeof apiErrorSchema>;

export const ERROR_CODES = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 422,
  sequence_replayed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export const emptySchema = z.object({}).strict();
export const noContentSchema = z.null();

/** ISO-8601 timestamp with offset. */
export const timestampSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const uuidSchema = z.string().uuid();

export { textSchema } from '../base/text';
