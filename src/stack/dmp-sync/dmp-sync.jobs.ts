import type { PeriodicJob } from '../../jobs/periodic.js';

export const dmpSyncJobs: PeriodicJob[] = [];
