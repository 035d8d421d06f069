import { type TSchema, Type } from 'typebox';
import { defaultPageSize, maxPageSize } from '../kernel/pagination.js';

/** RFC 9457 problem details, as every error in Triad's own API is answered. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.Optional(Type.String()), message: Type.String() })),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

export const PageQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), next: Type.Union([Type.String(), Type.Null()]) });
}

export const NoContent = Type.Null({ description: 'No content' });
