import type { DmpConfig } from '../config.js';
import type { Deps } from '../kernel/deps.js';

/**
 * The DMP's long-lived parts (hot lookup store, schedulers), created once at start-up and
 * handed to its routes through the app's dependencies.
 */
export interface DmpRuntime {
  config: DmpConfig;
  close(): Promise<void>;
}

export async function createDmpRuntime(deps: Deps & { config: DmpConfig }): Promise<DmpRuntime> {
  return { config: deps.config, close: async () => {} };
}
