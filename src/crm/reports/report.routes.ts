import { Type } from 'typebox';
import { defineRoute, principalOf, type RouteSpec, rolesAccess } from '../../http/route.js';
import { groupings } from './report.js';
import { slaAttainment, timeInStage } from './report.more.js';
import {
  pipelineValue,
  type ReportQuery,
  salesCycle,
  weightedForecast,
  winRate,
} from './report.service.js';

const tags = ['crm'];
const dealReaders = rolesAccess('sales', 'analyst');
const ticketReaders = rolesAccess('support', 'analyst');

const DateText = Type.String({
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+(Z|[+-]\\d{2}:?\\d{2})?)?$',
  description: 'A date or an ISO date-time',
});
const Query = Type.Object({
  ownerId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  teamId: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  pipeline: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  from: Type.Optional(DateText),
  to: Type.Optional(DateText),
  dateProperty: Type.Optional(Type.Union([Type.Literal('closedate'), Type.Literal('createdate')])),
  groupBy: Type.Optional(Type.Union(groupings.map((g) => Type.Literal(g)))),
});
const ReportSchema = Type.Object({
  groupBy: Type.String(),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  totals: Type.Record(Type.String(), Type.Unknown()),
});

type Runner = (
  deps: Parameters<typeof slaAttainment>[0],
  principal: Parameters<typeof slaAttainment>[1],
  q: ReportQuery,
) => Promise<unknown>;

function reportRoute(path: string, summary: string, run: Runner, ticket = false): RouteSpec {
  return defineRoute({
    method: 'GET',
    url: `/api/v1/crm/reports/${path}`,
    summary,
    tags,
    access: ticket ? ticketReaders : dealReaders,
    schema: { querystring: Query, response: { 200: ReportSchema } },
    handler: async (ctx) => ({ body: await run(ctx.deps, principalOf(ctx), ctx.query) }),
  });
}

export const reportRoutes: RouteSpec[] = [
  reportRoute(
    'pipeline-value',
    'Open deals: count and amount (default grouping: stage)',
    pipelineValue,
  ),
  reportRoute(
    'forecast',
    'Weighted forecast: amount × stage probability (default grouping: month of closedate)',
    weightedForecast,
  ),
  reportRoute('win-rate', 'Win rate of closed deals by count and by value', winRate),
  reportRoute('sales-cycle', 'Average and median days from creation to closed won', salesCycle),
  reportRoute('stage-time', 'Average and median hours deals spend in each stage', timeInStage),
  reportRoute(
    'sla-attainment',
    'Ticket SLA attainment: met, breached and running per target',
    slaAttainment,
    true,
  ),
];
