/**
 * The shape of the IPC contract between renderer and main.
 *
 * Each domain declares its channels once (in a file beside this one) with zod schemas for the
 * request and the reply. Main validates every request against them; the preload and the e2e
 * bridge derive the renderer API from the same declarations, so the three cannot drift apart.
 */
import { z } from 'zod';

/**
 * A renderer → main request answered by a promise. `errors` are the domain error codes the
 * channel may answer with (beside the generic IPC_ERROR_CODES); main refuses to send any other,
 * and the renderer's messages for them are typed from this list.
 */
export interface InvokeDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType, E extends string = string> {
  readonly kind: 'invoke';
  readonly channel: string;
  readonly request: Req;
  readonly response: Res;
  readonly errors: readonly E[];
}

/** A main → renderer push. */
export interface EventDef<Payload extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly channel: string;
  readonly payload: Payload;
}

/** Error codes every channel can answer with; each channel declares its own domain codes. */
export const IPC_ERROR_CODES = [
  'invalid_payload',
  'unknown_channel',
  'forbidden_sender',
  'internal',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];
const ERROR_CODE_PATTERN = /^[a-z][a-z_]*$/;

export const CHANNEL_PATTERN = /^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/;

export function defineInvoke<Req extends z.ZodType, Res extends z.ZodType, const E extends string = never>(
  channel: string,
  request: Req,
  response: Res,
  options: { errors?: readonly E[] } = {},
): InvokeDef<Req, Res, E> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`bad IPC channel name: ${channel}`);
  const errors = options.errors ?? [];
  for (const code of errors) {
    if (!ERROR_CODE_PATTERN.test(code) || (IPC_ERROR_CODES as readonly string[]).includes(code)) throw new Error(`bad error code ${code} for ${channel}`);
  }
  return { kind: 'invoke', channel, request, response, errors };
}

/** The domain error codes one channel declares. */
export type ErrorCodeOf<D> = D extends InvokeDef<z.ZodType, z.ZodType, infer E> ? E : never;

export function defineEvent<Payload extends z.ZodType>(
  channel: string,
  payload: Payload,
): EventDef<Payload> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`bad IPC channel name: ${channel}`);
  return { kind: 'event', channel, payload };
}

/** A domain: method name → invoke definition, and `on<Name>` → event definition. */
export type DomainDef = Readonly<Record<string, InvokeDef | EventDef>>;
export type ApiDef = Readonly<Record<string, DomainDef>>;


export const ipcErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** Paths of the fields that failed validation (never their values: they may be personal data). */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type IpcError = z.infer<typeof ipcErrorSchema>;

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

/** The renderer-facing function type of one definition. */
export type ApiMethod<D> =
  D extends InvokeDef<infer Req, infer Res>
    ? z.input<Req> extends undefined
      ? () => Promise<IpcResult<z.output<Res>>>
      : (request: z.input<Req>) => Promise<IpcResult<z.output<Res>>>
    : D extends EventDef<infer P>
      ? (listener: (payload: z.output<P>) => void) => () => void
      : never;

export type DomainApi<D extends DomainDef> = { readonly [K in keyof D]: ApiMethod<D[K]> };
export type WorkstationApi<A extends ApiDef> = { readonly [K in keyof A]: DomainApi<A[K]> };

/** Transport used to build the API: Electron's ipcRenderer in the preload, a Playwright binding in e2e. */
export interface ApiTransport {
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Build the renderer API object from the declarations. Used by the real preload and by the e2e
 * bridge, so both expose exactly the same methods.
 */
export function buildApi<A extends ApiDef>(api: A, transport: ApiTransport): WorkstationApi<A> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [domain, defs] of Object.entries(api)) {
    const methods: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(defs)) {
      if (def.kind === 'invoke') {
        const channel = def.channel;
        methods[name] = (request?: unknown) => transport.invoke(channel, request);
      } else {
        const channel = def.channel;
        methods[name] = (listener: (payload: unknown) => void) => {
          if (typeof listener !== 'function') throw new TypeError('listener must be a function');
          return transport.subscribe(channel, listener);
        };
      }
    }
    out[domain] = Object.freeze(methods);
  }
  return Object.freeze(out) as unknown as WorkstationApi<A>;
}

/** Every invoke channel with its definition. */
export function invokeChannels(api: ApiDef): Map<string, InvokeDef> {
  const map = new Map<string, InvokeDef>();
  for (const defs of Object.values(api)) {
    for (const def of Object.values(defs)) {
      if (def.kind !== 'invoke') continue;
      if (map.has(def.channel)) throw new Error(`duplicate IPC channel ${def.channel}`);
      map.set(def.channel, def);
    }
  }
  return map;
}

/** Every event channel with its definition. */
export function eventChannels(api: ApiDef): Map<string, EventDef> {
  const map = new Map<string, EventDef>();
  for (const defs of Object.values(api)) {
    for (const def of Object.values(defs)) {
      if (def.kind === 'event') map.set(def.channel, def);
    }
  }
  return map;
}

/** The method tree of an API object as sorted `domain.method` strings (for shape comparisons). */
export function apiShape(api: unknown): string[] {
  const names: string[] = [];
  if (api && typeof api === 'object') {
    for (const [domain, methods] of Object.entries(api as Record<string, unknown>)) {
      if (methods && typeof methods === 'object') {
        for (const [name, fn] of Object.entries(methods as Record<string, unknown>)) {
          names.push(`${domain}.${name}:${typeof fn}`);
        }
      }
    }
  }
  return names.sort();
}
