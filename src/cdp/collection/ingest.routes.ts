import type { RouteSpec } from '../../http/route.js';
import { bundleRoutes } from './bundle/bundle.routes.js';
import { importRoutes } from './imports/import.routes.js';
import { liveRoutes } from './live/live.routes.js';
import { planRoutes } from './plans/plan.routes.js';

/** The HTTP routes of tracking plans, imports, the live debugger and the analytics.js bundle. */
export const ingestRoutes: RouteSpec[] = [
  ...planRoutes,
  ...importRoutes,
  ...liveRoutes,
  ...bundleRoutes,
];
