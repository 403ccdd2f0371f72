/** Every platform endpoint, by domain. */
import type { RouteDef } from './route';
import { authRoutes } from './auth';
import { orderRoutes } from './orders';
import { systemRoutes } from './system';
import { knowledgeRoutes } from './knowledge';
import { referenceRoutes } from './reference';
import { auditRoutes } from './audit';
import { eventRoutes } from './events';

export const platformApi = {
  system: systemRoutes,
  auth: authRoutes,
  orders: orderRoutes,
  knowledge: knowledgeRoutes,
  reference: referenceRoutes,
  audit: auditRoutes,
  events: eventRoutes,
} as const;

export function allRoutes(): RouteDef[] {
  return Object.values(platformApi).flatMap((domain) => Object.values(domain) as RouteDef[]);
}

export const PLATFORM_API_VERSION = '1.0.0';
