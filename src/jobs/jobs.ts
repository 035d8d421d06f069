import { insightJobs } from '../cdp/insights/insight.jobs.js';
import { predictionJobs } from '../cdp/predictions/prediction.jobs.js';
import { crmAutomationJobs } from '../crm/automation.jobs.js';
import { crmSalesJobs } from '../crm/sales.jobs.js';
import { dmpExportJobs } from '../dmp/exports/export.jobs.js';
import { privacyJobs } from '../privacy/privacy.jobs.js';
import { crmSyncJobs } from '../stack/crm-sync/crm-sync.jobs.js';
import { dmpSyncJobs } from '../stack/dmp-sync/dmp-sync.jobs.js';
import type { PeriodicJob } from './periodic.js';

/** Every periodic job the worker role runs. */
export function periodicJobs(): PeriodicJob[] {
  return [
    ...crmSalesJobs,
    ...crmAutomationJobs,
    ...predictionJobs,
    ...insightJobs,
    ...privacyJobs,
    ...crmSyncJobs,
    ...dmpSyncJobs,
    ...dmpExportJobs,
  ];
}
