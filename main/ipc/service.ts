/**
 * A domain's main-side service: one handler for every invoke channel its `shared/<domain>/ipc.ts`
 * declares (the compiler refuses a missing or misspelt one), registered by the core in one line.
 * Services are plain Node: they reach the desktop only through the ports in their context.
 */
import type { z } from 'zod';
import type { DomainDef, ErrorCodeOf, EventDef, InvokeDef } from '../../shared/ipc/contract';
import type { AppInfo } from '../../shared/shell/ipc';
import type { Logger, LogSink } from '../logging/logger';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { SenderInfo } from './registry';

type InvokeKeys<D extends DomainDef> = { [K in keyof D]: D[K] extends InvokeDef ? K : never }[keyof D];

export type InvokeHandler<Def> = Def extends InvokeDef
  ? (request: z.output<Def['request']>, sender: SenderInfo) => z.input<Def['response']> | Promise<z.input<Def['response']>>
  : never;

export type DomainHandlers<D extends DomainDef> = { readonly [K in InvokeKeys<D>]: InvokeHandler<D[K]> };

export interface DomainService<D extends DomainDef = DomainDef> {
  readonly ipc: D;
  readonly handlers: DomainHandlers<D>;
  /** Releases what the service holds (timers, OS registrations) when the app quits. */
  dispose?(): void;
}

/** An error a service answers with on purpose; its code is one its channel declares. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A DomainError whose code the compiler checks against the channel's declared `errors`. */
export function channelError<D extends InvokeDef>(_def: D, code: ErrorCodeOf<D>, message: string): DomainError {
  return new DomainError(code, message);
}

/** What every domain service may use: the core's shared pieces, never another domain's internals. */
export interface ServiceContext {
  readonly logger: Logger;
  readonly logSink: LogSink;
  readonly settings: SettingsService;
  readonly secrets: SecretStore;
  readonly userDataDir: string;
  readonly appInfo: AppInfo;
  /** Sends a main → renderer event after checking it against its declaration. */
  emit<P extends z.ZodType>(def: EventDef<P>, payload: z.input<P>): void;
}
