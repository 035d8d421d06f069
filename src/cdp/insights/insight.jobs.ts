import type { PeriodicJob } from '../../jobs/periodic.js';

export const insightJobs: PeriodicJob[] = [];
