import { Type } from 'typebox';
import { adminOnly, defineRoute, type RouteSpec } from '../../http/route.js';
import { PageOf } from '../../http/schemas.js';
import { AppError } from '../../kernel/errors.js';
import {
  decodeCursor,
  defaultPageSize,
  encodeCursor,
  maxPageSize,
} from '../../kernel/pagination.js';
import { queryAudit } from './audit.repository.js';

const EntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  resource: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Integer(), Type.Null()]),
});

function checkTime(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new AppError('bad_request', `${field} is not a date-time`, [
      { field, message: 'an ISO-8601 date-time' },
    ]);
  }
  return time.toISOString();
}

export const auditRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/privacy/audit',
    summary:
      'The audit log of personal-data reads and changes and of privacy requests, newest first',
    tags: ['privacy'],
    access: adminOnly,
    audit: false,
    schema: {
      querystring: Type.Object({
        actor: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
        resource: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 600,
            description: 'An exact resource, or a prefix ending in *',
          }),
        ),
        from: Type.Optional(Type.String({ maxLength: 40 })),
        to: Type.Optional(Type.String({ maxLength: 40 })),
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
        ),
        cursor: Type.Optional(Type.String({ maxLength: 512 })),
      }),
      response: { 200: PageOf(EntrySchema) },
    },
    handler: async ({ deps, query }) => {
      const limit = query.limit ?? defaultPageSize;
      const before =
        query.cursor === undefined ? undefined : Number(decodeCursor(query.cursor, ['id']).id);
      if (before !== undefined && !Number.isSafeInteger(before)) {
        throw new AppError('bad_request', 'The cursor is not one this API issued', [
          { field: 'cursor', message: 'invalid cursor' },
        ]);
      }
      const rows = await queryAudit(deps.db, {
        actor: query.actor,
        resource: query.resource,
        from: checkTime(query.from, 'from'),
        to: checkTime(query.to, 'to'),
        before,
        limit,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        body: {
          data: page,
          next: rows.length > limit && last ? encodeCursor({ id: String(last.id) }) : null,
        },
      };
    },
  }),
];
