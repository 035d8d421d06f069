import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent } from '../../http/schemas.js';
import { recommendationRoutes } from '../recommendations/recommendation.routes.js';
import { predictionKinds, schedules } from './prediction.js';
import {
  createPrediction,
  deletePrediction,
  getPrediction,
  listPredictions,
  profilePredictions,
  trainPrediction,
  updatePrediction,
} from './prediction.service.js';

const editors = rolesAccess('marketer');
const readers = rolesAccess('marketer', 'analyst');
const tags = ['predictions'];

const Schedule = Type.Union([...Object.keys(schedules).map((s) => Type.Literal(s)), Type.Null()]);
const FeatureWeight = Type.Object({ feature: Type.String(), weight: Type.Number() });
const Metrics = Type.Object({
  cutoff: Type.String(),
  trainedAt: Type.String(),
  examples: Type.Integer(),
  positives: Type.Integer(),
  negatives: Type.Integer(),
  holdoutExamples: Type.Integer(),
  auc: Type.Optional(Type.Number()),
  baselineAuc: Type.Optional(Type.Number()),
  mae: Type.Optional(Type.Number()),
  rmse: Type.Optional(Type.Number()),
  baselineMae: Type.Optional(Type.Number()),
  baselineRmse: Type.Optional(Type.Number()),
  topFeatures: Type.Array(FeatureWeight),
  scoredProfiles: Type.Integer(),
  tookMs: Type.Integer(),
});
const PredictionSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  windowDays: Type.Integer(),
  traitKey: Type.String(),
  traits: Type.Array(Type.String()),
  schedule: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'untrained, ready or failed (the last training attempt)' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  metrics: Type.Union([Metrics, Type.Null()]),
  trainedAt: Type.Union([Type.String(), Type.Null()]),
  nextTrainAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const predictionOnly: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/predictions',
    summary: 'Define a prediction model (purchase, churn or value over a window)',
    tags,
    access: editors,
    schema: {
      body: Type.Object(
        {
          kind: Type.String({ description: predictionKinds.join(', '), maxLength: 40 }),
          windowDays: Type.Optional(Type.Integer({ description: '15, 30, 60 or 90' })),
          schedule: Type.Optional(Schedule),
        },
        { additionalProperties: false },
      ),
      response: { 201: PredictionSchema },
    },
    handler: async (ctx) => ({ status: 201, body: await createPrediction(ctx.deps, ctx.body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/predictions',
    summary: 'List prediction models with their latest metrics',
    tags,
    access: readers,
    schema: { response: { 200: Type.Object({ data: Type.Array(PredictionSchema) }) } },
    handler: async (ctx) => ({ body: { data: await listPredictions(ctx.deps) } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/predictions/:id',
    summary: 'A prediction model with its latest holdout metrics and top features',
    tags,
    access: readers,
    schema: { params: IdParams, response: { 200: PredictionSchema } },
    handler: async (ctx) => ({ body: await getPrediction(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/predictions/:id',
    summary: 'Change the retraining schedule of a model',
    tags,
    access: editors,
    schema: {
      params: IdParams,
      body: Type.Object({ schedule: Type.Optional(Schedule) }, { additionalProperties: false }),
      response: { 200: PredictionSchema },
    },
    handler: async (ctx) => ({
      body: await updatePrediction(ctx.deps, ctx.params.id, ctx.body),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/predictions/:id',
    summary: 'Delete a model and remove its traits from profiles',
    tags,
    access: editors,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      await deletePrediction(ctx.deps, ctx.params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/predictions/:id/train',
    summary: 'Train a model now and score every profile (422 insufficient_data when too little)',
    tags,
    access: editors,
    schema: { params: IdParams, response: { 200: PredictionSchema } },
    handler: async (ctx) => ({ body: await trainPrediction(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/profiles/:id/predictions',
    summary: "A profile's scores from every prediction model",
    tags,
    access: editors,
    schema: {
      params: IdParams,
      response: {
        200: Type.Object({
          profileId: Type.String(),
          data: Type.Array(
            Type.Object({
              modelId: Type.String(),
              kind: Type.String(),
              windowDays: Type.Integer(),
              traitKey: Type.String(),
              score: Type.Union([Type.Number(), Type.Null()]),
              percentile: Type.Union([Type.Number(), Type.Null()]),
              cohort: Type.Union([Type.String(), Type.Null()]),
              trainedAt: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
        }),
      },
    },
    handler: async (ctx) => ({ body: await profilePredictions(ctx.deps, ctx.params.id) }),
  }),
];

export const predictionRoutes: RouteSpec[] = [...predictionOnly, ...recommendationRoutes];
