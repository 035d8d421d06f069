import type { RouteSpec } from '../../http/route.js';

/** The HTTP routes of profiles, the identity graph and the Profile API. */
export const profileRoutes: RouteSpec[] = [];
