import { Type } from 'typebox';
import { defineRoute, publicAccess } from '../../../http/route.js';
import { AppError } from '../../../kernel/errors.js';
import { findSourceByWriteKey } from '../../sources/source.service.js';
import { analyticsBundle, bundleResponse } from './analytics-bundle.js';

const Script = Type.String({ description: 'JavaScript' });

export const bundleRoutes = [
  defineRoute({
    method: 'GET',
    url: '/analytics.js/v1/:writeKey/analytics.min.js',
    summary: 'The analytics.js library (@segment/analytics-next standalone) for the snippet',
    tags: ['collection'],
    access: publicAccess,
    schema: {
      params: Type.Object({ writeKey: Type.String({ maxLength: 200 }) }),
      response: { 200: Script },
    },
    handler: async ({ deps, params, headers }) => {
      // The file is the same for every key; an unknown or disabled key is still refused so a
      // mistyped snippet fails visibly in the browser console.
      const source = await findSourceByWriteKey(deps, params.writeKey);
      if (!source) throw new AppError('not_found', 'Unknown write key');
      if (!source.enabled) throw new AppError('forbidden', `Source "${source.name}" is disabled`);
      return bundleResponse(
        analyticsBundle().standalone,
        headers['accept-encoding'],
        'public, max-age=300',
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/analytics-next/bundles/:file',
    summary: 'Chunks analytics.js loads on demand (from analytics._cdn)',
    tags: ['collection'],
    access: publicAccess,
    schema: {
      params: Type.Object({ file: Type.String({ maxLength: 200 }) }),
      response: { 200: Script },
    },
    handler: ({ params, headers }) => {
      const chunk = analyticsBundle().chunks.get(params.file);
      if (!chunk) throw new AppError('not_found', `No analytics.js chunk "${params.file}"`);
      // Chunk names carry a content hash: a name always means the same bytes.
      return bundleResponse(
        chunk,
        headers['accept-encoding'],
        'public, max-age=31536000, immutable',
      );
    },
  }),
];
