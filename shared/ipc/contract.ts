/**
 * The shape of the IPC contract between renderer and main.
 *
 * Each domain declares its channels once (in a file beside this one) with zod schemas for the
 * request and the reply. Main validates every request against them; the preload and the e2e
 * bridge derive the renderer API from the same declarations, so the three cannot drift apart.
 */
import { z } from 'zod';

/** A renderer → main request answered by a promise. */
export interface InvokeDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly kind: 'invoke';
  readonly channel: string;
  readonly request: Req;
  readonly response: Res;
}

/** A main → renderer push. */
export interface EventDef<Payload extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly channel: string;
  readonly payload: Payload;
}

export const CHANNEL_PATTERN = /^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/;

export function defineInvoke<Req extends z.ZodType, Res extends z.ZodType>(
  channel: string,
  request: Req,
  response: Res,
): InvokeDef<Req, Res> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`bad IPC channel name: ${channel}`);
  return { kind: 'invoke', channel, request, response };
}

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

/** Error codes every channel can answer with; domains add their own strings. */
export const IPC_ERROR_CODES = [
  'invalid_payload',
  'unknown_channel',
  'forbidden_sender',
  'internal',
] as const;

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
