/** Every platform endpoint, by domain. */
import type { RouteDef } from './route';
import { sessionRoutes } from '../session/routes';
import { orderRoutes } from '../orders/routes';
import { systemRoutes } from '../system/routes';
import { knowledgeRoutes } from '../knowledge/routes';
import { directoryRoutes } from '../directory/routes';
import { auditRoutes } from '../audit/routes';
import { queueRoutes } from '../queue/routes';
import { transferRoutes } from '../transfers/routes';

export const platformApi = {
  system: systemRoutes,
  session: sessionRoutes,
  orders: orderRoutes,
  knowledge: knowledgeRoutes,
  directory: directoryRoutes,
  audit: auditRoutes,
  queue: queueRoutes,
  transfers: transferRoutes,
} as const;

export function allRoutes(): RouteDef[] {
  return Object.values(platformApi).flatMap((domain) => Object.values(domain) as RouteDef[]);
}

export const PLATFORM_API_VERSION = '1.0.0';
