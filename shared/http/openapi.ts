/** Generates the OpenAPI 3.1 document of the platform API from the route declarations. */
import { z } from 'zod';
import { apiErrorSchema, ERROR_CODES, type RouteDef } from './route';
import { PLATFORM_API_VERSION, allRoutes } from './index';
import { EVENTS_STREAM_PATH, liveEventSchema } from '../queue/routes';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete out.$schema;
  return out;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

function errorResponses(route: RouteDef): Json {
  const codes = new Set<number>([400, 500]);
  if (route.auth !== 'public') {
    codes.add(401);
    codes.add(403);
  }
  if (route.params) codes.add(404);
  if (route.idempotent) {
    codes.add(409);
    codes.add(422);
  }
  if (route.id === 'auth.login') codes.add(429);
  if (route.body) codes.add(413);
  const out: Json = {};
  for (const code of [...codes].sort()) {
    const names = Object.entries(ERROR_CODES)
      .filter(([, status]) => status === code)
      .map(([n]) => n);
    out[String(code)] = {
      description: names.join(', '),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
    };
  }
  return out;
}

export function buildOpenApi(routes: RouteDef[] = allRoutes()): Json {
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const op: Json = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.tag],
      parameters: [
        ...parameters(r.params, 'path'),
        ...parameters(r.query, 'query'),
        ...(r.idempotent
          ? [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 8, maxLength: 128 } }]
          : []),
      ],
      responses: {
        [String(r.successStatus)]:
          r.successStatus === 204
            ? { description: 'No content' }
            : { description: 'OK', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } },
        ...errorResponses(r),
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    if (r.maxBodyBytes !== undefined) op['x-max-body-bytes'] = r.maxBodyBytes;
    if (r.auth !== 'public') {
      op.security = [{ bearerAuth: [] }];
      op['x-roles'] = r.auth;
    }
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: op };
  }
  paths[EVENTS_STREAM_PATH] = {
    get: {
      operationId: 'events.stream',
      summary: 'WebSocket (Upgrade: websocket) delivering live events as JSON text messages; leads and admins get agent states and queue figures of their organisation, other roles queue figures only',
      tags: ['events'],
      security: [{ bearerAuth: [] }],
      'x-roles': ['agent', 'subcenter', 'lead', 'admin'],
      'x-websocket-messages': jsonSchema(liveEventSchema, 'output'),
      responses: { '101': { description: 'Switching protocols' }, '401': { description: 'unauthenticated', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: '12345 Hotline Platform API',
      version: PLATFORM_API_VERSION,
      description:
        'The central platform API the 12345 agent workstation syncs with. Generated from the zod route declarations in shared/<domain>/routes.ts; do not edit by hand.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: { ApiError: jsonSchema(apiErrorSchema, 'output') },
    },
  };
}
