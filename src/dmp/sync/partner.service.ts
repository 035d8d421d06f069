import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import { type Page, toPage } from '../../kernel/pagination.js';
import { assertNoPiiText } from '../collect/firewall.js';
import type { DmpPartnerRow } from '../dmp.tables.js';
import * as repo from './partner.repository.js';
import { normalizeDomain } from './redirect.js';

/** An ID-sync partner: who may redirect through `/dmp/v1/sync`, and to which domains. */
export interface Partner {
  id: string;
  name: string;
  domains: string[];
  createdAt: string;
  updatedAt: string;
}

const PARTNER_ID = /^[a-z0-9][a-z0-9_-]{1,31}$/;
type PartnerDeps = Pick<Deps, 'db' | 'clock'>;

export function toPartner(row: DmpPartnerRow): Partner {
  return {
    id: row.id,
    name: row.name,
    domains: JSON.parse(row.domains) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function validDomains(domains: string[]): string[] {
  const out: string[] = [];
  domains.forEach((raw, i) => {
    const domain = normalizeDomain(raw);
    if (!domain) {
      throw badRequest(`domains[${i}] is not a domain name`, [
        { field: `domains[${i}]`, message: 'a host name like sync.partner.com' },
      ]);
    }
    if (!out.includes(domain)) out.push(domain);
  });
  return out;
}

export async function createPartner(
  deps: PartnerDeps,
  input: { id: string; name: string; domains: string[] },
): Promise<Partner> {
  if (!PARTNER_ID.test(input.id)) {
    throw new AppError('validation_failed', 'id is 2-32 of a-z 0-9 _ - (starting alphanumeric)', [
      { field: 'id', message: 'invalid partner id' },
    ]);
  }
  assertNoPiiText(input.name, 'name');
  const now = iso(deps.clock.now());
  const row = {
    id: input.id,
    name: input.name.trim(),
    domains: JSON.stringify(validDomains(input.domains)),
    created_at: now,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    if (await repo.findPartner(trx, input.id)) throw conflict(`partner ${input.id} exists`);
    await repo.insertPartner(trx, row);
  });
  return toPartner(row);
}

export async function getPartner(deps: Pick<Deps, 'db'>, id: string): Promise<Partner> {
  const row = await repo.findPartner(deps.db, id);
  if (!row) throw notFound(`partner ${id}`);
  return toPartner(row);
}

export async function listPartners(
  deps: Pick<Deps, 'db'>,
  opts: { after?: string; limit: number },
): Promise<Page<Partner>> {
  const rows = await repo.listPartners(deps.db, opts);
  return toPage(rows, opts.limit, toPartner, (row) => ({ id: row.id }));
}

export async function updatePartner(
  deps: PartnerDeps,
  id: string,
  changes: { name?: string | undefined; domains?: string[] | undefined },
): Promise<Partner> {
  const existing = await repo.findPartner(deps.db, id);
  if (!existing) throw notFound(`partner ${id}`);
  const update: { updated_at: string; name?: string; domains?: string } = {
    updated_at: iso(deps.clock.now()),
  };
  if (changes.name !== undefined) {
    assertNoPiiText(changes.name, 'name');
    update.name = changes.name.trim();
  }
  if (changes.domains !== undefined) update.domains = JSON.stringify(validDomains(changes.domains));
  await repo.updatePartner(deps.db, id, update);
  return toPartner({ ...existing, ...update });
}

/** Deletes the partner and every partner ID synced with it. */
export async function deletePartner(deps: Pick<Deps, 'db'>, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findPartner(trx, id))) throw notFound(`partner ${id}`);
    await repo.deletePartner(trx, id);
  });
}
