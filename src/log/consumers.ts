import { audienceConsumer } from '../cdp/audiences/index.js';
import { identityConsumer } from '../cdp/identity/graph/identity.service.js';
import { insightConsumers } from '../cdp/insights/insight.consumer.js';
import type { Clock } from '../kernel/clock.js';
import type { Deps } from '../kernel/deps.js';
import { consentConsumer } from '../privacy/index.js';
import { crmSyncConsumers } from '../stack/crm-sync/crm-sync.consumers.js';
import type { LogConsumer } from './consumer.js';

/**
 * Every consumer of the event log that `triad start` runs (and tests start with
 * `createTestApp({ identity: true })`). Each follows the log on its own offset.
 */
export function logConsumers(deps: Pick<Deps, 'db'> & { clock: Clock }): LogConsumer[] {
  return [
    identityConsumer(deps),
    audienceConsumer(deps),
    consentConsumer(deps),
    ...insightConsumers(deps),
    ...crmSyncConsumers(deps),
  ];
}
