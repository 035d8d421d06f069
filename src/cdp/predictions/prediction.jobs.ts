import type { PeriodicJob } from '../../jobs/periodic.js';
import { refreshIfDue } from '../recommendations/recommendation.service.js';
import { retrainDue } from './prediction.service.js';

/**
 * Scheduled retraining (models whose `next_train_at` has passed; each is claimed first, so
 * two workers never train the same one) and the periodic recommendation refresh.
 */
export const predictionJobs: PeriodicJob[] = [
  {
    name: 'predictions.retrain',
    everyMs: 60_000,
    run: async (deps) => {
      await retrainDue(deps);
    },
  },
  {
    name: 'recommendations.refresh',
    everyMs: 10 * 60_000,
    run: async (deps) => {
      await refreshIfDue(deps);
    },
  },
];
