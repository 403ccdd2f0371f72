/**
 * The platform HTTP server: every route of the shared contract (shared/http) registered from its declaration, with
 * one pipeline — authenticate, authorise by role, validate params/query/body (zod, unknown fields
 * refused), run, and check the reply against the declared response schema.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { apiErrorSchema, type ApiError, type RouteDef } from '../../shared/http/route';
import { platformApi } from '../../shared/http';
import { buildOpenApi } from '../../shared/http/openapi';
import { ApiProblem } from './errors';
import type { RequestContext, Services } from './context';
import { verifyAccessToken } from './session/tokens';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency';
import { sessionHandlers } from './session/handlers';
import { orderHandlers } from './orders/handlers';
import { systemHandlers } from './system/handlers';
import { knowledgeHandlers } from './knowledge/handlers';
import { directoryHandlers } from './directory/handlers';
import { auditHandlers } from './audit/handlers';
import { queueHandlers } from './queue/handlers';
import { transferHandlers } from './transfers/handlers';
import websocket from '@fastify/websocket';
import { EVENTS_STREAM_PATH } from '../../shared/queue/routes';
import type { Handler } from './handler';

const HANDLERS: { [D in keyof typeof platformApi]: Record<keyof (typeof platformApi)[D], Handler<RouteDef>> } = {
  system: systemHandlers as never,
  session: sessionHandlers as never,
  orders: orderHandlers as never,
  knowledge: knowledgeHandlers as never,
  directory: directoryHandlers as never,
  audit: auditHandlers as never,
  queue: queueHandlers as never,
  transfers: transferHandlers as never,
};

function issuesOf(error: z.ZodError, prefix: string): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!r.success) throw new ApiProblem('invalid_request', `Invalid ${where}`, issuesOf(r.error, where));
  return r.data;
}

function send(reply: FastifyReply, problem: ApiProblem): FastifyReply {
  const body: ApiError = { error: { code: problem.code, message: problem.message } };
  if (problem.issues?.length) body.error.issues = problem.issues;
  if (problem.headers) void reply.headers(problem.headers);
  return reply.status(problem.status).type('application/json').send(body);
}

export async function buildServer(services: Services): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: services.config.bodyLimitBytes, trustProxy: false, return503OnClosing: true });

  // JSON only, strictly UTF-8; anything else is refused before it reaches a handler.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      done(new ApiProblem('invalid_request', 'Body is not valid UTF-8'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiProblem('invalid_request', 'Body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (error instanceof ApiProblem) return send(reply, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) return send(reply, new ApiProblem('payload_too_large', 'Body is too large'));
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) {
      return send(reply, new ApiProblem('unsupported_media_type', 'Send application/json'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return send(reply, new ApiProblem('invalid_request', 'Malformed request'));
    services.log('error', 'unhandled error', { error: error.message });
    return send(reply, new ApiProblem('internal', 'Internal error'));
  });
  app.setNotFoundHandler((_req, reply) => send(reply, new ApiProblem('not_found', 'No such endpoint')));

  app.addHook('onResponse', async (req, reply) => {
    services.log('info', 'request', { route: req.routeOptions.config?.routeId ?? 'none', method: req.method, status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
  });

  await app.register(websocket, { options: { maxPayload: 4096 } });
  app.get(
    EVENTS_STREAM_PATH,
    {
      websocket: true,
      config: { routeId: 'events.stream' },
      preValidation: async (req) => {
        const claims = authenticate(services, req.headers.authorization);
        (req as FastifyRequest & { claims?: unknown }).claims = claims;
      },
    },
    (socket, req) => {
      const claims = (req as FastifyRequest & { claims?: ReturnType<typeof authenticate> }).claims!;
      services.events.add(socket, claims);
      socket.on('close', () => services.events.remove(socket));
      // The stream is one-way; anything a client sends is ignored.
      socket.on('message', () => undefined);
    },
  );

  const openapi = buildOpenApi();
  app.get('/openapi.json', { config: { routeId: 'system.openapi' } }, async () => openapi);

  for (const [domain, routes] of Object.entries(platformApi) as [keyof typeof platformApi, Record<string, RouteDef>][]) {
    for (const [name, route] of Object.entries(routes)) {
      const handler = (HANDLERS[domain] as Record<string, Handler<RouteDef>>)[name];
      if (!handler) throw new Error(`no handler for ${route.id}`);
      app.route({
        method: route.method,
        url: route.path,
        config: { routeId: route.id },
        ...(route.maxBodyBytes !== undefined && { bodyLimit: route.maxBodyBytes }),
        handler: (req, reply) => handle(services, route, handler, req, reply),
      });
    }
  }
  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    routeId?: string;
  }
}

function authenticate(services: Services, header: string | undefined) {
  const value = header ?? '';
  const token = value.startsWith('Bearer ') ? value.slice(7) : '';
  const claims = token ? verifyAccessToken(token, services.keys.tokenKey, services.now()) : undefined;
  if (!claims) throw new ApiProblem('unauthenticated', 'Sign in first (missing, invalid or expired access token)');
  return claims;
}

async function handle(services: Services, route: RouteDef, handler: Handler<RouteDef>, req: FastifyRequest, reply: FastifyReply) {
  let user = undefined as unknown as RequestContext['user'];
  if (route.auth !== 'public') {
    const claims = authenticate(services, req.headers.authorization);
    if (!route.auth.includes(claims.role)) throw new ApiProblem('forbidden', `Role ${claims.role} may not ${route.summary.toLowerCase()}`);
    user = claims;
  }
  if (route.body && req.body === undefined) throw new ApiProblem('invalid_request', 'A JSON body is required');
  let idempotencyKey: string | undefined;
  if (route.idempotent) {
    const raw = req.headers['idempotency-key'];
    if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(raw)) {
      throw new ApiProblem('invalid_request', 'Idempotency-Key header is required (8-128 of A-Z a-z 0-9 _ : . -)', [{ path: 'Idempotency-Key', message: 'required' }]);
    }
    idempotencyKey = raw;
  }
  const ctx: RequestContext = {
    ...services,
    user,
    params: parse(route.params, req.params, 'params'),
    query: parse(route.query, req.query, 'query'),
    body: parse(route.body, req.body, 'body'),
    idempotencyKey,
    ip: req.ip,
  };
  const result = await handler(ctx as never);
  if (result.problem) throw result.problem;
  const status = result.status ?? route.successStatus;
  if (status === 204) return reply.status(204).send();
  const checked = route.response.safeParse(result.body);
  if (!checked.success) {
    services.log('error', 'reply breaks the contract', { route: route.id, issues: checked.error.issues.slice(0, 5).map((i) => i.path.join('.')) });
    throw new ApiProblem('internal', 'Internal error');
  }
  return reply.status(status).type('application/json').send(checked.data);
}

export { apiErrorSchema };
