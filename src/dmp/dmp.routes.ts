import type { RouteSpec } from '../http/route.js';

/** The HTTP routes of the DMP (under /dmp/v1/). */
export const dmpRoutes: RouteSpec[] = [];
