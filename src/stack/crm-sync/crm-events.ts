import { toLogRecord } from '../../cdp/collection/collect.service.js';
import { normalizeBody, type Rejection } from '../../cdp/collection/pipeline/index.js';
import { createSource } from '../../cdp/sources/source.service.js';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { appendWithDb } from '../../log/table-log.js';
import * as repo from './crm-sync.repository.js';

type SyncDeps = Pick<Deps, 'db' | 'clock'>;

/** The CDP source CRM interactions arrive through; its name is what timelines show. */
export const crmSourceName = 'crm';
const sourceKey = 'source_id';

/** The id of the `crm` source, created on first use. */
export async function crmSourceId(deps: SyncDeps): Promise<string> {
  const stored = await repo.readState(deps.db, sourceKey);
  if (stored && (await repo.sourceIdByName(deps.db, crmSourceName)) === stored) return stored;
  const id =
    (await repo.sourceIdByName(deps.db, crmSourceName)) ??
    (await createSource(deps, { name: crmSourceName })).id;
  await repo.writeState(deps.db, sourceKey, id, iso(deps.clock.now()));
  return id;
}

/** A CRM contact as the CDP identifies it: its e-mail and its record id. */
export interface ContactRef {
  id: number;
  email: string | undefined;
}

/**
 * Identity fields for a message about a CRM contact. Segment messages need a userId or an
 * anonymousId; the contact has neither, so a stable anonymousId derived from its record id
 * stands in (it resolves to the same profile as the `crm_contact_id` external ID).
 */
export function contactIdentity(contact: ContactRef) {
  return {
    anonymousId: `crm-contact-${contact.id}`,
    context: {
      ...(contact.email ? { traits: { email: contact.email } } : {}),
      externalIds: [
        { id: String(contact.id), type: 'crm_contact_id', collection: 'users', encoding: 'none' },
      ],
    },
  };
}

/**
 * Cleans Segment-style messages with the collection pipeline (as if posted to `/v1/batch`)
 * and appends them to the event log under the `crm` source. Message ids are deterministic, so
 * a replayed pass appends nothing twice. Returns the pipeline's rejections.
 */
export async function appendCrmMessages(
  deps: SyncDeps,
  messages: Record<string, unknown>[],
): Promise<{ appended: number; rejections: Rejection[] }> {
  if (messages.length === 0) return { appended: 0, rejections: [] };
  const sourceId = await crmSourceId(deps);
  const { events, rejections } = normalizeBody(
    { batch: messages },
    { receivedAt: deps.clock.now() },
  );
  const appended = await appendWithDb(
    deps.db,
    events.map((e) => toLogRecord(sourceId, e)),
  );
  return { appended, rejections };
}
