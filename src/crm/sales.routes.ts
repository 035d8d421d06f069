import type { RouteSpec } from '../http/route.js';
import { ownerRoutes } from './owners/owner.routes.js';
import { reportRoutes } from './reports/report.routes.js';
import { slaRoutes } from './sla/sla.routes.js';
import { transferRoutes } from './transfer/transfer.routes.js';

/** Owners and teams, visibility, SLA policies, reports, CSV import and export. */
export const crmSalesRoutes: RouteSpec[] = [
  ...ownerRoutes,
  ...slaRoutes,
  ...reportRoutes,
  ...transferRoutes,
];
