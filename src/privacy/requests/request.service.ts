import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import { AppError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import type { DB } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import { digestOf, identifierSalt } from './digest.js';
import type { PrivacyDeps } from './participant.js';
import { participants, storesFor, suppressionStore } from './participants.js';
import type { NewPrivacyRequest, PrivacyRequestView, Receipt, RequestType } from './request.js';
import { claim, getPrivacyRequest, writeReceipt } from './request.repository.js';
import {
  type Identifier,
  normalizeRequestIdentity,
  requestIdentityTypes,
  resolveSubject,
  type Subject,
} from './subject.js';
import { suppressIdentifiers } from './suppression.js';

export {
  accessDocument,
  getPrivacyRequest,
  listPrivacyRequests,
} from './request.repository.js';

export interface RequestDeps extends PrivacyDeps {
  log: Logger;
}

function newRequestId(): string {
  return `dsr_${Date.now().toString(36)}${randomBytes(10).toString('hex')}`;
}

/** Records a request (202 semantics: processing follows) and audits it. */
export async function createPrivacyRequest(
  deps: RequestDeps,
  input: NewPrivacyRequest,
  actor: string,
  httpRequestId: string,
): Promise<PrivacyRequestView> {
  if (!(requestIdentityTypes as readonly string[]).includes(input.identity.type)) {
    throw new AppError('bad_request', `Unknown identity type "${input.identity.type}"`, [
      { field: 'identity.type', message: `one of ${requestIdentityTypes.join(', ')}` },
    ]);
  }
  const identity = normalizeRequestIdentity(input.identity);
  if (identity.value === '') {
    throw new AppError('bad_request', 'The identity value is empty', [
      { field: 'identity.value', message: 'must not be blank' },
    ]);
  }
  const now = iso(deps.clock.now());
  const salt = await identifierSalt(deps.db, now);
  const id = newRequestId();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('privacy_requests')
      .values({
        id,
        type: input.type,
        identity_type: identity.type,
        identity_value: identity.value,
        identity_digest: digestOf(salt, identity.value),
        status: 'pending',
        actor,
        http_request_id: httpRequestId,
        attempts: 0,
        document: null,
        error: null,
        created_at: now,
        updated_at: now,
        completed_at: null,
      })
      .execute();
    await trx
      .insertInto('privacy_request_receipts')
      .values(
        storesFor(input.type).map((store) => ({
          request_id: id,
          store,
          status: 'pending',
          found: 0,
          affected: 0,
          detail: null,
          updated_at: now,
        })),
      )
      .execute();
    await appendAudit(trx, [
      {
        at: now,
        actor,
        action: `privacy.${input.type}`,
        resource: `privacy/requests/${id}`,
        requestId: httpRequestId,
        status: 202,
      },
    ]);
  });
  return getPrivacyRequest(deps.db, id);
}

/** Starts processing without making the caller wait; the retry job covers a crash. */
export function processInBackground(deps: RequestDeps, id: string): void {
  setImmediate(() => {
    processPrivacyRequest(deps, id).catch((error: unknown) =>
      deps.log.error({ err: error, privacyRequest: id }, 'privacy request failed'),
    );
  });
}

/**
 * Runs a request: claims it (so two workers never run it at once), resolves the person through
 * the identity graph, then has every store act, recording a receipt each. Suppression comes
 * first on erasure, so events arriving while stores are erased are already dropped. Stores that
 * completed in an earlier attempt are not run again.
 */
export async function processPrivacyRequest(deps: RequestDeps, id: string): Promise<boolean> {
  const claimed = await claim(deps.db, id, deps.clock.now());
  if (!claimed) return false;
  const type = claimed.type as RequestType;
  try {
    const subject = await subjectOf(deps.db, claimed);
    if (type !== 'access') {
      // Kept until completion so a retry still knows every identifier once the graph is gone.
      await deps.db
        .updateTable('privacy_requests')
        .set({ document: JSON.stringify(subject) })
        .where('id', '=', id)
        .execute();
    }
    const done = new Set(
      (
        await deps.db
          .selectFrom('privacy_request_receipts')
          .select('store')
          .where('request_id', '=', id)
          .where('status', '=', 'completed')
          .execute()
      ).map((r) => r.store),
    );
    const document: Record<string, unknown> = {};
    let failed = 0;
    const run = async (
      store: string,
      work: () => Promise<Omit<Receipt, 'store' | 'status' | 'updatedAt'>>,
    ) => {
      if (done.has(store) && type !== 'access') return;
      try {
        const outcome = await work();
        await writeReceipt(deps, id, store, 'completed', outcome);
      } catch (error) {
        failed++;
        const message = error instanceof Error ? error.message : String(error);
        await writeReceipt(deps, id, store, 'failed', {
          found: 0,
          affected: 0,
          detail: { error: message },
        });
      }
    };
    if (type !== 'access') {
      await run(suppressionStore, async () => {
        const n = await suppressIdentifiers(
          deps.db,
          iso(deps.clock.now()),
          id,
          subject.identifiers,
        );
        return { found: n, affected: n, detail: null };
      });
    }
    if (type !== 'suppress') {
      for (const participant of participants) {
        await run(participant.store, async () => {
          const found = await participant.find(deps.db, subject);
          if (type === 'access') {
            document[participant.store] = await participant.access(deps, subject);
            return { found, affected: 0, detail: null };
          }
          const erased = await participant.erase(deps, subject);
          return { found, affected: erased.affected, detail: erased.detail ?? null };
        });
      }
    }
    await finish(deps, id, type, subject, document, failed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.db
      .updateTable('privacy_requests')
      .set({ status: 'failed', error: message, updated_at: iso(deps.clock.now()) })
      .where('id', '=', id)
      .execute();
    throw error;
  }
  return true;
}

/** The person, merged with what an earlier attempt found (the graph may be erased by now). */
async function subjectOf(
  db: Kysely<DB>,
  row: {
    id: string;
    identity_type: string;
    identity_value: string | null;
    document: string | null;
    type: string;
  },
): Promise<Subject> {
  const earlier: Subject | undefined =
    row.type !== 'access' && row.document ? (JSON.parse(row.document) as Subject) : undefined;
  const identity: Identifier | undefined =
    row.identity_value === null
      ? earlier?.identity
      : { type: row.identity_type, value: row.identity_value };
  if (!identity) throw new Error('the request no longer holds its identifier');
  const fresh = await resolveSubject(db, identity);
  if (!earlier) return { ...fresh, requestId: row.id };
  const keys = new Set(fresh.identifiers.map((i) => `${i.type}\u0000${i.value}`));
  return {
    identity: fresh.identity,
    profileIds: [...new Set([...fresh.profileIds, ...earlier.profileIds])],
    identifiers: [
      ...fresh.identifiers,
      ...earlier.identifiers.filter((i) => !keys.has(`${i.type}\u0000${i.value}`)),
    ],
    requestId: row.id,
  };
}

async function finish(
  deps: RequestDeps,
  id: string,
  type: RequestType,
  subject: Subject,
  stores: Record<string, unknown>,
  failed: number,
): Promise<void> {
  const now = iso(deps.clock.now());
  if (failed > 0) {
    await deps.db
      .updateTable('privacy_requests')
      .set({ status: 'failed', error: `${failed} store(s) failed`, updated_at: now })
      .where('id', '=', id)
      .execute();
    return;
  }
  const document =
    type === 'access'
      ? JSON.stringify({
          requestId: id,
          generatedAt: now,
          subject: {
            identity: subject.identity,
            profileIds: subject.profileIds,
            identifiers: subject.identifiers,
          },
          stores,
        })
      : null;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('privacy_requests')
      .set({
        status: 'completed',
        error: null,
        document,
        // An erased or suppressed identifier is not kept in clear, even here.
        ...(type === 'access' ? {} : { identity_value: null }),
        updated_at: now,
        completed_at: now,
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, [
      {
        at: now,
        actor: 'system',
        action: `privacy.${type}.completed`,
        resource: `privacy/requests/${id}`,
        requestId: null,
        status: null,
      },
    ]);
  });
}
