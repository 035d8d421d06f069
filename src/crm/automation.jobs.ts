import type { PeriodicJob } from '../jobs/periodic.js';
import { runWorkflowsOnce } from './workflows/workflow.engine.js';

/**
 * The workflow engine in the worker role. A pass is safe to repeat and to run from several
 * workers: runs start once per (workflow, event) and are claimed with a lease.
 */
export const crmAutomationJobs: PeriodicJob[] = [
  { name: 'crm-workflows', everyMs: 5_000, run: (deps) => runWorkflowsOnce(deps).then(() => {}) },
];
