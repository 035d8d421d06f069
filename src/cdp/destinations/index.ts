/**
 * What other contexts may use of webhook delivery: the SSRF-guarded signed POST, the
 * admin-managed egress allow-list, and the retry policy (which statuses to retry, and backoff).
 */

/** Delete messages forwarded when a person is erased (see `settings.forwardDeletions`). */
export {
  type DeletionState,
  deletionPrefix,
  deletionStates,
  enqueueDeletions,
  isDeletionMessage,
  type NewDeletion,
} from './deletions.js';
export { backoffMs, retryable } from './delivery.worker.js';
export { allowEntries } from './destination.repository.js';
export { allowListOf, type SendResult, sendSigned, signature } from './egress.js';
