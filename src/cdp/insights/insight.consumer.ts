import type { Clock } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import type { LogConsumer } from '../../log/consumer.js';

/** Log consumers that keep the insight rollups current. */
export function insightConsumers(_deps: Pick<Deps, 'db'> & { clock: Clock }): LogConsumer[] {
  return [];
}
