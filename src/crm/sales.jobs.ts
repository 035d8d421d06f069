import type { PeriodicJob } from '../jobs/periodic.js';
import { runSlaClock } from './sla/sla.service.js';
import { resumeImports } from './transfer/import.service.js';

export const crmSalesJobs: PeriodicJob[] = [
  {
    // Warnings are only useful while there is time left to act: check every minute.
    name: 'crm-sla-clock',
    everyMs: 60_000,
    run: async (deps) => {
      await runSlaClock(deps);
    },
  },
  {
    // Imports cut short by a restart continue from their checkpoint.
    name: 'crm-import-resume',
    everyMs: 30_000,
    run: async (deps) => {
      await resumeImports(deps);
    },
  },
];
