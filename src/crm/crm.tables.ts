import type { AssociationLabelTable, AssociationTable } from './associations/association.table.js';
import type {
  CrmObjectTable,
  CrmTokenTable,
  CrmUniqueValueTable,
  CrmValueCountTable,
  CrmValueTable,
} from './objects/object.table.js';
import type {
  PipelineStageTable,
  PipelineTable,
  StageHistoryTable,
} from './pipelines/pipeline.table.js';
import type { CrmPropertyTable } from './properties/property.table.js';

/** Kysely table types of the CRM tables (see migration 0005_crm). */
export interface CrmTables {
  crm_objects: CrmObjectTable;
  crm_values: CrmValueTable;
  crm_tokens: CrmTokenTable;
  crm_unique_values: CrmUniqueValueTable;
  crm_value_counts: CrmValueCountTable;
  crm_properties: CrmPropertyTable;
  crm_pipelines: PipelineTable;
  crm_pipeline_stages: PipelineStageTable;
  crm_stage_history: StageHistoryTable;
  crm_associations: AssociationTable;
  crm_association_labels: AssociationLabelTable;
}
