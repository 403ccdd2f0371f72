/**
 * Typed access to the preload API (`window.workstation`). `call` unwraps the IPC result envelope
 * into a value or a BridgeError carrying the typed error code from main.
 */
import type { ErrorCodeOf, InvokeDef, IpcError, IpcResult } from '../../../shared/ipc/contract';
import type { Workstation } from '../../../shared/ipc';

declare global {
  interface Window {
    workstation: Workstation;
  }
}

export class BridgeError extends Error {
  readonly code: string;
  readonly issues: IpcError['issues'];
  constructor(error: IpcError) {
    super(error.message);
    this.code = error.code;
    this.issues = error.issues;
  }
}

export function bridge(): Workstation {
  const api = window.workstation;
  if (!api) throw new Error('workstation bridge is missing: the preload did not run');
  return api;
}

export async function call<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new BridgeError(result.error);
  return result.value;
}

/** The renderer's messages for the error codes a channel declares: the compiler checks none is missing. */
export type ErrorMessages<D extends InvokeDef> = Record<ErrorCodeOf<D>, string>;

/** The declared error code of a call that failed on this channel, or undefined for anything else. */
export function declaredError<D extends InvokeDef>(def: D, error: unknown): ErrorCodeOf<D> | undefined {
  if (error instanceof BridgeError && (def.errors as readonly string[]).includes(error.code)) return error.code as ErrorCodeOf<D>;
  return undefined;
}
