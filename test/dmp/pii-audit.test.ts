import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { dmpTableNames } from '../../src/dmp/dmp.tables.js';
import { detectAllPii, hashEmailForId, scanForPii } from '../../src/privacy/pii/index.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { type DmpTestApp, dmpApp, dmpCookie } from './helpers.js';

/** Personal data a hostile client tries to slip in; none of it may be found afterwards. */
const canaries = [
  'jane.doe@example.com',
  'jane.doe%40example.com',
  'JANE.DOE@EXAMPLE.COM',
  '+1 415 555 2671',
  '415-555-2671',
  '+44 20 7946 0958',
  '203.0.113.9',
  '2001:db8::1',
  '10 Downing Street',
  '1600 Amphitheatre Parkway',
  '4111 1111 1111 1111',
  '078-05-1120',
  'Jane Doe',
];

const hostileSignals = (i: number) => ({
  page: `article-${i}`,
  email: canaries[0],
  contact: `write to ${canaries[0]}`,
  ref: `https://shop.example/?email=${canaries[1]}`,
  shout: canaries[2],
  tel: canaries[3],
  phone_number: canaries[4],
  uk: `call ${canaries[5]}`,
  client: canaries[6],
  v6: canaries[7],
  address: canaries[8],
  hq: canaries[9],
  card: canaries[10],
  ssn: canaries[11],
  first_name: 'Jane',
  full_name: canaries[12],
  hashed: hashEmailForId(canaries[0] ?? '') ?? '',
});

describe.each(enginesUnderTest())('PII firewall audit on $name', (engine) => {
  let t: DmpTestApp;
  afterEach(() => t.close());

  it.each(['reject', 'drop'] as const)(
    'after a hostile run in %s mode, no DMP table and no log line holds personal data',
    async (piiMode) => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      t = await dmpApp({
        testStore: await engine.open(),
        dmp: { piiMode },
        log: pino({ level: 'trace' }, sink),
      });
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/dmp/partners',
        headers: t.admin,
        payload: { id: 'acme', name: 'Acme', domains: ['acme.com'] },
      });
      const trait = await t.trait({
        name: 'pages',
        rule: { conditions: [{ key: 'page', op: 'exists' }] },
      });
      await t.segment({ name: 'readers', expression: trait, taxonomyIds: [3] });

      const cookieId = dmpCookie(await t.pixel('page=clean')) ?? '';
      for (let i = 0; i < 5; i++) {
        const signals = hostileSignals(i);
        const query = new URLSearchParams(signals as Record<string, string>).toString();
        await t.pixel(query, cookieId, { 'x-forwarded-for': canaries[6] ?? '' });
        await t.app.inject({
          method: 'POST',
          url: '/dmp/v1/events',
          headers: { cookie: `triad_dmp_id=${cookieId}` },
          payload: { signals },
        });
        await t.app.inject({
          method: 'POST',
          url: '/dmp/v1/signals',
          headers: t.advertiser,
          payload: {
            signals: [
              { id: { type: 'hem', value: canaries[0] }, signals: { page: 'x' } },
              { id: { type: 'ifa', value: '6d92078a-8246-4ba4-ae5b-76104861e7dc' }, signals },
            ],
          },
        });
        for (const puid of [canaries[0], canaries[3], canaries[12]]) {
          await t.app.inject({
            method: 'GET',
            url: `/dmp/v1/sync?partner=acme&puid=${encodeURIComponent(puid ?? '')}`,
            headers: { cookie: `triad_dmp_id=${cookieId}` },
          });
        }
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/dmp/traits',
          headers: t.advertiser,
          payload: {
            name: canaries[0],
            rule: { conditions: [{ key: 'k', op: 'eq', value: canaries[3] }] },
          },
        });
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/dmp/taxonomy',
          headers: t.advertiser,
          payload: { name: `Segment for ${canaries[8]}` },
        });
      }

      // Something was stored (the clean parts), so the audit is not vacuous.
      const db = t.testStore.store.db;
      expect((await db.selectFrom('dmp_trait_hits').selectAll().execute()).length).toBeGreaterThan(
        0,
      );

      const findings: string[] = [];
      for (const table of dmpTableNames) {
        const rows = (await db.selectFrom(table).selectAll().execute()) as Record<
          string,
          unknown
        >[];
        for (const row of rows) {
          for (const [column, value] of Object.entries(row)) {
            if (typeof value !== 'string') continue;
            let parsed: unknown = value;
            try {
              parsed = JSON.parse(value);
            } catch {}
            for (const f of scanForPii({ [column]: parsed }))
              findings.push(`${table}.${column}: ${f.kind}`);
            for (const f of detectAllPii(value)) findings.push(`${table}.${column}: ${f.kind}`);
            for (const canary of [...canaries, 'Jane', '127.0.0.1']) {
              if (value.toLowerCase().includes(canary.toLowerCase()))
                findings.push(`${table}.${column}: canary`);
            }
          }
        }
      }
      expect(findings).toEqual([]);

      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      for (const canary of [...canaries, encodeURIComponent(canaries[0] ?? '')]) {
        expect(log.toLowerCase(), canary).not.toContain(canary.toLowerCase());
      }
    },
  );
});
