import type { RouteSpec } from '../http/route.js';

/** The HTTP routes of the CRM (HubSpot CRM v3/v4 compatible, under /crm/). */
export const crmRoutes: RouteSpec[] = [];
