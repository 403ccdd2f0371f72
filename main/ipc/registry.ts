/**
 * The main-side IPC table. `handle(def, fn)` binds a channel declared in shared/ipc to a service
 * call; `dispatch` is what Electron's ipcMain (or the e2e bridge) calls for every request:
 *   unknown channel → refused; sender not the app's own top frame → refused;
 *   payload not matching the schema → refused with the failing paths;
 *   otherwise the service runs and its reply is checked against the declared response schema;
 *   a domain error reaches the renderer only with a code the channel declares.
 * Every refusal is logged (channel and field paths only — values may be personal data).
 */
import type { z } from 'zod';
import type { DomainDef, InvokeDef, IpcError, IpcResult } from '../../shared/ipc/contract';
import type { Logger } from '../logging/logger';
import { DomainError, type DomainService } from './service';

export interface SenderInfo {
  /** URL of the frame that sent the message. */
  url: string;
  /** True when the frame is the top-level frame of its page (not an iframe). */
  isTopFrame: boolean;
}

type Handler = (request: unknown, sender: SenderInfo) => unknown;

/** `scheme://host[:port]` — WHATWG URL gives "null" as origin for custom schemes like app://. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (!u.host) return undefined;
    return `${u.protocol}//${u.host}`;
    // Stryker disable next-line BlockStatement: an empty catch falls through to the end of the function, which returns undefined as well.
  } catch {
    return undefined;
  }
}

export class IpcRegistry {
  private readonly handlers = new Map<string, { def: InvokeDef; fn: Handler }>();
  private readonly log: Logger;

  constructor(
    private readonly allowedOrigin: string,
    logger: Logger,
  ) {
    this.log = logger.child('ipc');
  }

  handle<D extends InvokeDef>(
    def: D,
    fn: (request: z.output<D['request']>, sender: SenderInfo) => z.input<D['response']> | Promise<z.input<D['response']>>,
  ): void {
    if (this.handlers.has(def.channel)) throw new Error(`IPC channel handled twice: ${def.channel}`);
    this.handlers.set(def.channel, { def, fn: fn as Handler });
  }

  /** Binds every handler of a domain service to its declared channel. */
  register<D extends DomainDef>(service: DomainService<D>): void {
    for (const [name, fn] of Object.entries(service.handlers) as [string, Handler][]) {
      const def = service.ipc[name];
      if (!def || def.kind !== 'invoke') throw new Error(`service handles ${name}, which its IPC declaration does not define`);
      this.handle(def, fn);
    }
  }

  channels(): string[] {
    return [...this.handlers.keys()].sort();
  }

  isTrustedSender(sender: SenderInfo): boolean {
    return sender.isTopFrame && originOf(sender.url) === this.allowedOrigin;
  }

  async dispatch(channel: unknown, payload: unknown, sender: SenderInfo): Promise<IpcResult<unknown>> {
    const entry = typeof channel === 'string' ? this.handlers.get(channel) : undefined;
    if (!entry) {
      this.log.warn('refused unknown IPC channel', { channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel });
      return fail({ code: 'unknown_channel', message: 'Unknown IPC channel' });
    }
    if (!this.isTrustedSender(sender)) {
      this.log.warn('refused IPC from a foreign frame', {
        channel: entry.def.channel,
        origin: originOf(sender.url) ?? 'invalid',
        isTopFrame: sender.isTopFrame,
      });
      return fail({ code: 'forbidden_sender', message: 'IPC is only accepted from the workstation window' });
    }
    const parsed = entry.def.request.safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 20).map((i) => ({
        path: i.path.map(String).join('.') || '(root)',
        message: i.message,
      }));
      this.log.warn('rejected invalid IPC payload', { channel: entry.def.channel, issues });
      return fail({ code: 'invalid_payload', message: `Invalid request for ${entry.def.channel}`, issues });
    }
    try {
      const value = await entry.fn(parsed.data, sender);
      const checked = entry.def.response.safeParse(value);
      if (!checked.success) {
        this.log.error('IPC handler returned a reply that breaks its contract', {
          channel: entry.def.channel,
          issues: checked.error.issues.slice(0, 5).map((i) => i.path.map(String).join('.')),
        });
        return fail({ code: 'internal', message: 'Internal error' });
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof DomainError && entry.def.errors.includes(error.code)) {
        this.log.warn('IPC request failed', { channel: entry.def.channel, code: error.code });
        return fail({ code: error.code, message: error.message });
      }
      if (error instanceof DomainError) {
        // A code the channel does not declare would reach a renderer that has no message for it.
        this.log.error('IPC handler failed with an undeclared error code', { channel: entry.def.channel, code: error.code });
        return fail({ code: 'internal', message: 'Internal error' });
      }
      this.log.error('IPC handler threw', { channel: entry.def.channel, error: error instanceof Error ? error : String(error) });
      return fail({ code: 'internal', message: 'Internal error' });
    }
  }
}

function fail(error: IpcError): IpcResult<never> {
  return { ok: false, error };
}
