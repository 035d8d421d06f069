import type { RouteSpec } from '../http/route.js';
import { emailRoutes } from './email/email.routes.js';
import { workflowRoutes } from './workflows/workflow.routes.js';

/** CRM automation under /api/v1/crm: workflows and their runs, e-mail templates and sending. */
export const crmAutomationRoutes: RouteSpec[] = [...workflowRoutes, ...emailRoutes];
