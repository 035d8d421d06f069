import type { RouteSpec } from '../http/route.js';
import { crmRecordRoutes } from './crm-record/crm-record.routes.js';
import { crmSyncRoutes } from './crm-sync/crm-sync.routes.js';
import { customerRoutes } from './customers/customer.routes.js';
import { dmpSyncRoutes } from './dmp-sync/dmp-sync.routes.js';

/** The routes of the flows between the contexts. */
export const stackRoutes: RouteSpec[] = [
  ...customerRoutes,
  ...crmSyncRoutes,
  ...dmpSyncRoutes,
  ...crmRecordRoutes,
];
