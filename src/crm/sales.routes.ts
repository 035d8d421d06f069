import type { RouteSpec } from '../http/route.js';

export const crmSalesRoutes: RouteSpec[] = [];
