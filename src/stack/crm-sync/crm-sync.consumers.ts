import type { Clock } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import type { LogConsumer } from '../../log/consumer.js';
import { companyConsumer } from './crm-companies.js';

/** Log consumers of the CDP <-> CRM flows. */
export function crmSyncConsumers(deps: Pick<Deps, 'db'> & { clock: Clock }): LogConsumer[] {
  return [companyConsumer(deps)];
}
