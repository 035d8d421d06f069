import type { PeriodicJob } from '../../jobs/periodic.js';
import { syncCdpToCrm } from './cdp-to-crm.js';
import { syncCrmToCdp } from './crm-to-cdp.js';

/**
 * The CDP <-> CRM flows in the worker role. Each pass resumes from its stored offset and is
 * safe to repeat: events carry deterministic message ids, contacts are upserted by e-mail and
 * workflow runs start once per membership change.
 */
export const crmSyncJobs: PeriodicJob[] = [
  { name: 'crm-to-cdp', everyMs: 5_000, run: (deps) => syncCrmToCdp(deps).then(() => {}) },
  { name: 'cdp-to-crm', everyMs: 5_000, run: (deps) => syncCdpToCrm(deps).then(() => {}) },
];
