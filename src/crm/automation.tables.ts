import type { CrmChangeTable } from './changes/change.table.js';
import type { EmailTemplateTable } from './email/template.table.js';
import type {
  AutomationStateTable,
  WorkflowRunStepTable,
  WorkflowRunTable,
  WorkflowTable,
  WorkflowVersionTable,
} from './workflows/workflow.table.js';

/** Kysely table types of CRM automation (see migration 0009_crm_automation). */
export interface CrmAutomationTables {
  crm_changes: CrmChangeTable;
  crm_workflows: WorkflowTable;
  crm_workflow_versions: WorkflowVersionTable;
  crm_workflow_runs: WorkflowRunTable;
  crm_workflow_run_steps: WorkflowRunStepTable;
  crm_automation_state: AutomationStateTable;
  crm_email_templates: EmailTemplateTable;
}
