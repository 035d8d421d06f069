import type { PeriodicJob } from '../../jobs/periodic.js';

export const dmpExportJobs: PeriodicJob[] = [];
