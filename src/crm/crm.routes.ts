import type { RouteSpec } from '../http/route.js';
import { associationRoutes } from './associations/association.routes.js';
import { crmAutomationRoutes } from './automation.routes.js';
import { batchRoutes } from './objects/batch.routes.js';
import { objectRoutes } from './objects/object.routes.js';
import { pipelineRoutes } from './pipelines/pipeline.routes.js';
import { propertyRoutes } from './properties/property.routes.js';
import { crmSalesRoutes } from './sales.routes.js';
import { searchRoutes } from './search/search.routes.js';

/** The HTTP routes of the CRM (HubSpot CRM v3/v4 compatible, under /crm/). */
export const crmRoutes: RouteSpec[] = [
  ...objectRoutes,
  ...batchRoutes,
  ...searchRoutes,
  ...associationRoutes,
  ...propertyRoutes,
  ...pipelineRoutes,
  ...crmSalesRoutes,
  ...crmAutomationRoutes,
];
