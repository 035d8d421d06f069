import { randomBytes } from 'node:crypto';
import type { Deps } from '../../kernel/deps.js';
import { AppError, notFound } from '../../kernel/errors.js';
import { getProfile } from '../profiles/index.js';
import {
  type PredictionKind,
  type PredictionMetrics,
  type PredictionModel,
  predictionKinds,
  predictionWindows,
  type Schedule,
  schedules,
  traitKeyOf,
  traitsOf,
} from './prediction.js';
import * as repo from './prediction.repository.js';
import type { PredictionModelRow } from './prediction.tables.js';
import { trainAndScore } from './training.js';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

const newModelId = (now: Date) =>
  `pred_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

export function toModel(row: PredictionModelRow): PredictionModel {
  return {
    id: row.id,
    kind: row.kind as PredictionKind,
    windowDays: row.window_days,
    traitKey: row.trait_key,
    traits: traitsOf(row.trait_key),
    schedule: row.schedule as Schedule | null,
    status: row.status as PredictionModel['status'],
    lastError: row.last_error,
    metrics: row.metrics ? (JSON.parse(row.metrics) as PredictionMetrics) : null,
    trainedAt: row.trained_at,
    nextTrainAt: row.next_train_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkWindow(windowDays: number): void {
  if (!(predictionWindows as readonly number[]).includes(windowDays)) {
    throw new AppError('bad_request', `windowDays must be one of ${predictionWindows.join(', ')}`, [
      { field: '/windowDays', message: `${windowDays} is not a supported window` },
    ]);
  }
}

function checkSchedule(schedule: string | null | undefined): Schedule | null {
  if (schedule == null) return null;
  if (!(schedule in schedules)) {
    throw new AppError(
      'bad_request',
      `schedule must be one of ${Object.keys(schedules).join(', ')}`,
      [{ field: '/schedule', message: `unknown schedule "${schedule}"` }],
    );
  }
  return schedule as Schedule;
}

const nextRun = (from: Date, schedule: Schedule | null) =>
  schedule ? new Date(from.getTime() + schedules[schedule]).toISOString() : null;

export interface CreatePredictionInput {
  kind: string;
  windowDays?: number;
  schedule?: string | null;
}

export async function createPrediction(
  deps: ServiceDeps,
  input: CreatePredictionInput,
): Promise<PredictionModel> {
  if (!(predictionKinds as readonly string[]).includes(input.kind)) {
    throw new AppError('bad_request', `kind must be one of ${predictionKinds.join(', ')}`, [
      { field: '/kind', message: `unknown kind "${input.kind}"` },
    ]);
  }
  const kind = input.kind as PredictionKind;
  const windowDays = input.windowDays ?? (kind === 'value' ? 90 : 30);
  checkWindow(windowDays);
  const schedule = checkSchedule(input.schedule);
  const traitKey = traitKeyOf(kind, windowDays);
  if (await repo.findModelByTrait(deps.db, traitKey)) {
    throw new AppError('conflict', `A ${kind} model over ${windowDays} days already exists`, [
      { field: '/windowDays', message: `trait ${traitKey} is taken` },
    ]);
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const id = newModelId(now);
  await repo.insertModel(deps.db, {
    id,
    kind,
    window_days: windowDays,
    trait_key: traitKey,
    schedule,
    status: 'untrained',
    model: null,
    metrics: null,
    last_error: null,
    trained_at: null,
    // A scheduled model trains on the next job tick, then at its interval.
    next_train_at: schedule ? at : null,
    created_at: at,
    updated_at: at,
  });
  return getPrediction(deps, id);
}

export async function getPrediction(deps: ServiceDeps, id: string): Promise<PredictionModel> {
  const row = await repo.findModel(deps.db, id);
  if (!row) throw notFound(`Prediction model ${id}`);
  return toModel(row);
}

export async function listPredictions(deps: ServiceDeps): Promise<PredictionModel[]> {
  return (await repo.listModels(deps.db)).map(toModel);
}

export async function updatePrediction(
  deps: ServiceDeps,
  id: string,
  input: { schedule?: string | null },
): Promise<PredictionModel> {
  const row = await repo.findModel(deps.db, id);
  if (!row) throw notFound(`Prediction model ${id}`);
  if (input.schedule !== undefined) {
    const schedule = checkSchedule(input.schedule);
    const now = deps.clock.now();
    await repo.updateModel(deps.db, id, {
      schedule,
      // Never trained: the next job tick trains it; otherwise one interval after the last fit.
      next_train_at: schedule
        ? row.trained_at
          ? nextRun(new Date(row.trained_at), schedule)
          : now.toISOString()
        : null,
      updated_at: now.toISOString(),
    });
  }
  return getPrediction(deps, id);
}

/** Deletes a model and removes its traits from every profile. */
export async function deletePrediction(deps: ServiceDeps, id: string): Promise<void> {
  const row = await repo.findModel(deps.db, id);
  if (!row) throw notFound(`Prediction model ${id}`);
  await repo.deleteModel(deps.db, id);
  await repo.removeProfileTraits(deps.db, traitsOf(row.trait_key));
}

/**
 * Trains a model now and scores every profile. On `insufficient_data` the model keeps its
 * previous fit and scores, records the reason, and the error is answered to the caller.
 */
export async function trainPrediction(deps: ServiceDeps, id: string): Promise<PredictionModel> {
  const row = await repo.findModel(deps.db, id);
  if (!row) throw notFound(`Prediction model ${id}`);
  const now = deps.clock.now();
  const schedule = row.schedule as Schedule | null;
  try {
    const result = await trainAndScore(deps, {
      kind: row.kind as PredictionKind,
      windowDays: row.window_days,
      traitKey: row.trait_key,
    });
    await repo.updateModel(deps.db, id, {
      status: 'ready',
      model: JSON.stringify(result.stored),
      metrics: JSON.stringify(result.metrics),
      last_error: null,
      trained_at: now.toISOString(),
      next_train_at: nextRun(now, schedule),
      updated_at: now.toISOString(),
    });
  } catch (error) {
    if (error instanceof AppError) {
      await repo.updateModel(deps.db, id, {
        status: 'failed',
        last_error: `${error.code}: ${error.message}`,
        next_train_at: nextRun(now, schedule),
        updated_at: now.toISOString(),
      });
    }
    throw error;
  }
  return getPrediction(deps, id);
}

/** Retrains every model whose schedule is due; each is claimed so two workers never both run it. */
export async function retrainDue(deps: ServiceDeps): Promise<string[]> {
  const now = deps.clock.now();
  const trained: string[] = [];
  for (const row of await repo.dueModels(deps.db, now.toISOString())) {
    const schedule = row.schedule as Schedule | null;
    if (!row.next_train_at || !schedule) continue;
    const claimed = await repo.claimDue(
      deps.db,
      row.id,
      row.next_train_at,
      nextRun(now, schedule) ?? '',
    );
    if (!claimed) continue;
    try {
      await trainPrediction(deps, row.id);
      trained.push(row.id);
    } catch (error) {
      // Too little data is recorded on the model and retried at the next interval.
      if (!(error instanceof AppError)) throw error;
    }
  }
  return trained;
}

export interface ProfilePrediction {
  modelId: string;
  kind: PredictionKind;
  windowDays: number;
  traitKey: string;
  /** Null when the profile was not scored (no events at the last training). */
  score: number | null;
  percentile: number | null;
  cohort: string | null;
  trainedAt: string | null;
}

/** A profile's scores from every model, read from its traits. */
export async function profilePredictions(
  deps: ServiceDeps,
  key: string,
): Promise<{ profileId: string; data: ProfilePrediction[] }> {
  const profile = await getProfile(deps, key);
  const pick = <T>(name: string, type: 'number' | 'string') => {
    const v = profile.traits[name];
    return (typeof v === type ? v : null) as T | null;
  };
  const data = (await repo.listModels(deps.db)).map((row) => ({
    modelId: row.id,
    kind: row.kind as PredictionKind,
    windowDays: row.window_days,
    traitKey: row.trait_key,
    score: pick<number>(row.trait_key, 'number'),
    percentile: pick<number>(`${row.trait_key}_percentile`, 'number'),
    cohort: pick<string>(`${row.trait_key}_cohort`, 'string'),
    trainedAt: row.trained_at,
  }));
  return { profileId: profile.id, data };
}
