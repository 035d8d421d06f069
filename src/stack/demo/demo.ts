import { buildActivation, recordConsents } from './activation.phase.js';
import { DemoClient, DemoError, type FetchLike } from './client.js';
import { demoCast } from './company.js';
import { buildCrm } from './crm.phase.js';
import { buildDmpAudience } from './dmp.phase.js';
import { type SourceKeys, sendEvents } from './events.phase.js';
import { Random } from './random.js';

export interface DemoOptions {
  /** Base URL of a running Triad, e.g. http://127.0.0.1:8080. */
  url: string;
  /** An admin API token. */
  token: string;
  /** People in the company's world (identified customers and anonymous visitors). */
  profiles: number;
  seed: number;
  /** Fill even though the store already holds demo-like data. */
  force?: boolean;
  /** How long to wait for the identity graph to catch up before consents and CRM (ms). */
  settleTimeoutMs?: number;
}

export interface DemoSummary {
  sources: number;
  dmp: { visitors: number; hits: number; traits: number; segments: number };
  events: { accepted: number; rejected: number };
  people: { total: number; identified: number; inCrm: number; mistypedEmails: number };
  consents: { people: number; decisions: number };
  crm: Record<string, number>;
  duplicates: { profiles: number; linked: number; suggested: number } | null;
  computedTraits: number;
  audiences: number;
  destinations: number;
  prediction: string;
  requests: number;
  seconds: number;
}

/** The demo's source names; an existing one means the demo (or a real source) is there already. */
export const DEMO_SOURCES = { web: 'Website', app: 'Mobile app', crm: 'CRM import' } as const;

/** Marks the demo's company domains and DMP names, so two seeds never collide. */
export const demoTag = (seed: number) => `s${seed}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fills a Triad with a realistic company through its public HTTP API only, so what it builds is
 * what any client could build: the DMP's anonymous audience, Segment-shaped web and app events,
 * a CRM import that disagrees a little with the website, the CRM itself, consents, audiences and
 * activation. The same seed gives the same company; benchmarks reuse it with their own fetch.
 */
export async function runDemo(
  options: DemoOptions,
  fetchFn: FetchLike,
  progress: (line: string) => void = () => {},
): Promise<DemoSummary> {
  const started = Date.now();
  const say = (line: string) =>
    progress(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  const client = new DemoClient(options.url.replace(/\/+$/, ''), options.token, fetchFn);
  const random = new Random(options.seed);
  const tag = demoTag(options.seed);
  const now = Date.now();

  const session = await client.call('GET', '/api/v1/session', { allow: [401, 403] });
  if (session.status === 401 || session.status === 403)
    throw new DemoError(
      `the token was refused by ${options.url}; pass an admin token with --token`,
    );
  const role = (session.body as { role?: string }).role;
  if (role !== 'admin') throw new DemoError(`the demo needs an admin token; this one is ${role}`);

  const { companies, people } = demoCast(random, options.profiles, tag);

  const existing = await client.json<{ data: { name: string }[] }>(
    'GET',
    '/api/v1/sources?limit=200',
  );
  const names = Object.values(DEMO_SOURCES) as string[];
  const clash = existing.data.find((s) => names.includes(s.name));
  const firstEmail = people.find((p) => p.identified)?.email;
  const profiles = firstEmail
    ? await client.call('GET', `/api/v1/profiles/${encodeURIComponent(`email:${firstEmail}`)}`, {
        allow: [404],
      })
    : undefined;
  if (!options.force && (clash || profiles?.status === 200)) {
    throw new DemoError(
      clash
        ? `this Triad already has a source named "${clash.name}"; run with --force to add the demo anyway`
        : 'this Triad already holds the demo (seed ' +
            `${options.seed}); use another --seed, or --force to send it again`,
    );
  }

  say('sources: creating Website, Mobile app and CRM import');
  const keys = {} as SourceKeys;
  for (const [slot, name] of Object.entries(DEMO_SOURCES) as [keyof SourceKeys, string][]) {
    const source = await client.json<{ id: string; writeKey: string }>('POST', '/api/v1/sources', {
      name,
    });
    keys[slot] = source.writeKey;
    // The CRM knows names and phones better than a web form: its traits win.
    if (slot === 'crm')
      await client.call('PATCH', `/api/v1/sources/${source.id}`, { body: { traitPriority: 10 } });
  }

  say(`dmp: traits, segments and ${options.profiles} anonymous visitors`);
  const dmp = await buildDmpAudience(client, options.profiles, random, tag);

  say('events: web and app histories, CRM import, via /v1/batch');
  const events = await sendEvents(client, keys, people, dmp.ids, random, now);

  say('identity: waiting for profiles to be built');
  const last = [...people].reverse().find((p) => p.identified);
  const deadline = Date.now() + (options.settleTimeoutMs ?? 60_000);
  while (last && Date.now() < deadline) {
    const found = await client.call(
      'GET',
      `/api/v1/profiles/${encodeURIComponent(`email:${last.email}`)}`,
      { allow: [404] },
    );
    if (found.status === 200) break;
    await sleep(250);
  }

  say('consents: purposes and channels, granted and refused');
  const consents = await recordConsents(client, people, random);

  say('crm: companies, contacts, deals in two pipelines, tickets, calls, e-mails, notes');
  const crm = await buildCrm(client, people, companies, random, now, tag);

  say('activation: computed traits, audiences, destinations (disabled), prediction');
  const activation = await buildActivation(client);

  say('identity: scanning for fuzzy duplicates');
  const scan = await client.call('POST', '/api/v1/identity/duplicates/scan', { allow: [409, 503] });
  const duplicates =
    scan.status === 200
      ? (scan.body as { profiles: number; linked: number; suggested: number })
      : null;

  return {
    sources: 3,
    dmp: {
      visitors: dmp.ids.filter(Boolean).length,
      hits: dmp.hits,
      traits: dmp.traits,
      segments: dmp.segments,
    },
    events,
    people: {
      total: people.length,
      identified: people.filter((p) => p.identified).length,
      inCrm: people.filter((p) => p.inCrm).length,
      mistypedEmails: people.filter((p) => p.crmEmailTypo).length,
    },
    consents,
    crm: { ...crm },
    duplicates: duplicates
      ? {
          profiles: duplicates.profiles,
          linked: duplicates.linked,
          suggested: duplicates.suggested,
        }
      : null,
    computedTraits: activation.computedTraits,
    audiences: activation.audiences,
    destinations: activation.destinations,
    prediction: activation.prediction,
    requests: client.requests,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The summary as the command prints it, one line per area. */
export function formatSummary(s: DemoSummary): string[] {
  const crm = Object.entries(s.crm)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return [
    `people: ${s.people.total} (${s.people.identified} identified, ${s.people.inCrm} in the CRM import, ${s.people.mistypedEmails} with a mistyped or private e-mail)`,
    `dmp: ${s.dmp.visitors} visitors, ${s.dmp.hits} hits, ${s.dmp.traits} traits, ${s.dmp.segments} segments`,
    `events: ${s.events.accepted} accepted, ${s.events.rejected} rejected, over ${s.sources} sources`,
    `consents: ${s.consents.decisions} decisions for ${s.consents.people} people`,
    `crm: ${crm}`,
    `activation: ${s.computedTraits} computed traits, ${s.audiences} audiences, ${s.destinations} destinations (disabled)`,
    `prediction: ${s.prediction}`,
    s.duplicates
      ? `duplicates: ${s.duplicates.linked} linked, ${s.duplicates.suggested} suggested over ${s.duplicates.profiles} profiles`
      : 'duplicates: scan not available',
    `done: ${s.requests} requests in ${s.seconds.toFixed(1)} s`,
  ];
}
