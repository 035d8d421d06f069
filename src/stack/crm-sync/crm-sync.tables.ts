// biome-ignore lint/suspicious/noEmptyInterface: filled as the feature's tables land
export interface CrmSyncTables {}
