import type { RouteSpec } from '../http/route.js';
import { activationRoutes } from './activation/activation.routes.js';
import { collectRoutes } from './collect/collect.routes.js';
import { exportRoutes } from './exports/export.routes.js';
import { lookalikeRoutes } from './lookalikes/lookalike.routes.js';
import { mediaRoutes } from './media/media.routes.js';
import { reportRoutes } from './reports/report.routes.js';
import { segmentRoutes } from './segments/segment.routes.js';
import { syncRoutes } from './sync/sync.routes.js';
import { taxonomyRoutes } from './taxonomy/taxonomy.routes.js';
import { traitRoutes } from './traits/trait.routes.js';

/**
 * The HTTP routes of the DMP. Machine surfaces (pixels, beacons, partners, auctions) live under
 * `/dmp/v1/`; management (traits, segments, taxonomy, partners, reports) under `/api/v1/dmp/`,
 * beside the rest of Triad's own API.
 */
export const dmpRoutes: RouteSpec[] = [
  ...collectRoutes,
  ...syncRoutes,
  ...activationRoutes,
  ...traitRoutes,
  ...segmentRoutes,
  ...reportRoutes,
  ...taxonomyRoutes,
  ...exportRoutes,
  ...lookalikeRoutes,
  ...mediaRoutes,
] as RouteSpec[];
