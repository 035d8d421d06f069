import type { RouteSpec } from '../../http/route.js';

/** The HTTP routes of computed traits, audiences and destinations. */
export const audienceRoutes: RouteSpec[] = [];
