import type { RouteSpec } from '../http/route.js';
import { customerRoutes } from './customers/customer.routes.js';

/** The routes of the flows between the contexts. */
export const stackRoutes: RouteSpec[] = [...customerRoutes];
