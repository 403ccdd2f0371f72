import type { z } from 'zod';
import type { RouteDef } from '../../shared/http/route';
import type { RequestContext } from './context';
import type { ApiProblem } from './errors';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerResult<R extends z.ZodType> {
  status?: number;
  body?: z.input<R>;
  /** Return (rather than throw) a problem when the transaction must still commit. */
  problem?: ApiProblem;
}

export type Handler<D extends RouteDef> = (
  ctx: RequestContext<Out<NonNullable<D['params']>>, Out<NonNullable<D['query']>>, Out<NonNullable<D['body']>>>,
) => Promise<HandlerResult<D['response']>>;

export type HandlerTable<T extends Record<string, RouteDef>> = { [K in keyof T]: Handler<T[K]> };
