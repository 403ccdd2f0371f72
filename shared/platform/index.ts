/** Every platform endpoint, by domain. */
import type { RouteDef } from './route';
import { authRoutes } from './auth';
import { orderRoutes } from './orders';
import { systemRoutes } from './system';

export const platformApi = {
  system: systemRoutes,
  auth: authRoutes,
  orders: orderRoutes,
} as const;

export function allRoutes(): RouteDef[] {
  return Object.values(platformApi).flatMap((domain) => Object.values(domain) as RouteDef[]);
}

export const PLATFORM_API_VERSION = '1.0.0';
