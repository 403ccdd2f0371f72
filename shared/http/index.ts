/** Every platform endpoint, by domain. */
import type { RouteDef } from './route';
import { authRoutes } from '../session/routes';
import { orderRoutes } from '../orders/routes';
import { systemRoutes } from '../system/routes';
import { knowledgeRoutes } from '../knowledge/routes';
import { referenceRoutes } from '../directory/routes';
import { auditRoutes } from '../audit/routes';
import { eventRoutes } from '../queue/routes';

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
