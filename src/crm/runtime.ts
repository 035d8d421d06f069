import type { CrmConfig } from '../config.js';
import type { Deps } from '../kernel/deps.js';

/** The CRM's long-lived parts (mail transport, schedulers), created once at start-up. */
export interface CrmRuntime {
  config: CrmConfig;
  close(): Promise<void>;
}

export async function createCrmRuntime(deps: Deps & { config: CrmConfig }): Promise<CrmRuntime> {
  return { config: deps.config, close: async () => {} };
}
