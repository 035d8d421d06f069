import type { RouteSpec } from '../../http/route.js';

/** The HTTP routes of tracking plans, imports and the live debugger. */
export const ingestRoutes: RouteSpec[] = [];
