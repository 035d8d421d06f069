import type { RouteSpec } from '../http/route.js';
import { auditRoutes } from './audit/audit.routes.js';
import { consentRoutes } from './consent/consent.routes.js';
import { requestRoutes } from './requests/request.routes.js';
import { retentionRoutes } from './retention/retention.routes.js';

export const privacyRoutes: RouteSpec[] = [
  ...consentRoutes,
  ...requestRoutes,
  ...auditRoutes,
  ...retentionRoutes,
];
