import type SQLite from 'better-sqlite3';
import type { ObjectType, PropertyDef } from '../../src/crm/index.js';
import { countDeltas, indexRowsFor, standardPropertyDefs, timeRows } from '../../src/crm/index.js';
import { seededRandom } from '../../src/kernel/random.js';

/** Every run builds the same data set. */
export const random = seededRandom;

const syllables = [
  'ka',
  'lo',
  'mi',
  'ra',
  'ten',
  'vo',
  'sha',
  'de',
  'rin',
  'po',
  'lu',
  'ba',
  'zo',
  'fe',
  'gan',
  'tor',
];
export const lifecycle = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
];
const dealStages = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
];

function word(rnd: () => number, parts: number): string {
  let out = '';
  for (let i = 0; i < parts; i++) out += syllables[Math.floor(rnd() * syllables.length)];
  return out.charAt(0).toUpperCase() + out.slice(1);
}

export interface Sizes {
  contacts: number;
  companies: number;
  deals: number;
}

/**
 * Writes records straight into the CRM tables with prepared statements, using the CRM's own
 * index-row layout (`indexRowsFor`), so the data is exactly what the API would have written.
 */
export function generate(db: SQLite.Database, sizes: Sizes, log: (line: string) => void): void {
  const rnd = random(42);
  const insertObject = db.prepare(
    'insert into crm_objects (id, object_type, properties, owner_id, created_at, updated_at, archived) values (?, ?, ?, null, ?, ?, 0)',
  );
  const insertValue = db.prepare(
    'insert into crm_values (object_type, property, object_id, v_text, v_num) values (?, ?, ?, ?, ?)',
  );
  const insertToken = db.prepare(
    'insert or ignore into crm_tokens (object_type, property, token, object_id) values (?, ?, ?, ?)',
  );
  const insertUnique = db.prepare(
    'insert into crm_unique_values (object_type, property, value, object_id) values (?, ?, ?, ?)',
  );
  const counts = new Map<string, Map<string, number>>();
  const start = Date.parse('2020-01-01T00:00:00Z');
  let id = 0;
  const write = (type: ObjectType, properties: Record<string, string>, at: number) => {
    id++;
    const created = new Date(at).toISOString();
    insertObject.run(id, type, JSON.stringify(properties), created, created);
    const defs = standardPropertyDefs(type);
    const pairs = Object.entries(properties).flatMap(([name, value]) => {
      const def = defs.get(name);
      return def ? [[def, value] as [PropertyDef, string]] : [];
    });
    const rows = indexRowsFor(type, id, pairs);
    rows.values.push(...timeRows(type, id, { createdAt: created, updatedAt: created }));
    for (const v of rows.values)
      insertValue.run(v.object_type, v.property, v.object_id, v.v_text ?? null, v.v_num ?? null);
    for (const t of rows.tokens) insertToken.run(t.object_type, t.property, t.token, t.object_id);
    for (const u of rows.unique) insertUnique.run(u.object_type, u.property, u.value, u.object_id);
    for (const [key, delta] of countDeltas(defs, undefined, properties)) {
      const byKey = counts.get(type) ?? new Map<string, number>();
      byKey.set(key, (byKey.get(key) ?? 0) + delta);
      counts.set(type, byKey);
    }
  };
  const inChunks = (label: string, count: number, make: (i: number) => void) => {
    const chunk = 20_000;
    for (let from = 0; from < count; from += chunk) {
      db.transaction(() => {
        for (let i = from; i < Math.min(count, from + chunk); i++) make(i);
      })();
      if ((from / chunk) % 10 === 0) log(`  ${label}: ${Math.min(count, from + chunk)} / ${count}`);
    }
  };
  const companyNames: string[] = [];
  inChunks('companies', sizes.companies, (i) => {
    const name = `${word(rnd, 2)} ${word(rnd, 2)} ${i}`;
    companyNames.push(name);
    write(
      'companies',
      { name, domain: `c${i}.example.com`, industry: word(rnd, 1) },
      start + i * 1000,
    );
  });
  inChunks('contacts', sizes.contacts, (i) => {
    write(
      'contacts',
      {
        email: `person${i}@mail${i % 1000}.example`,
        firstname: word(rnd, 2),
        lastname: word(rnd, 3),
        company: companyNames[Math.floor(rnd() * companyNames.length)] ?? 'none',
        lifecyclestage: lifecycle[Math.floor(rnd() * lifecycle.length)] ?? 'lead',
        jobtitle: word(rnd, 2),
      },
      start + i * 100,
    );
  });
  inChunks('deals', sizes.deals, (i) => {
    write(
      'deals',
      {
        dealname: `${word(rnd, 2)} deal ${i}`,
        amount: String(Math.round(rnd() * 100_000)),
        pipeline: 'default',
        dealstage: dealStages[Math.floor(rnd() * dealStages.length)] ?? 'qualifiedtobuy',
        closedate: new Date(start + Math.floor(rnd() * 6 * 365) * 86_400_000).toISOString(),
      },
      start + i * 500,
    );
  });
  const insertCount = db.prepare(
    'insert into crm_value_counts (object_type, property, value, n) values (?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const [type, byKey] of counts) {
      for (const [key, n] of byKey) {
        const [property, value] = key.split('\u0000');
        insertCount.run(type, property, value, n);
      }
    }
  })();
}
