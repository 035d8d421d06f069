import { loadConfig } from '../config.js';
import { formatSummary, runDemo } from '../stack/demo/index.js';
import { parseCommandArgs, UsageError } from './args.js';
import type { Command } from './commands.js';

const usage = `triad demo [--profiles N] [--seed S] [--url URL] [--token TOKEN] [--force]

Fills an empty Triad, through its HTTP API, with a realistic company: DMP visitors, traits and
segments; web and app events; a CRM import with typos and duplicates; CRM companies, contacts,
deals in two pipelines, tickets, calls, e-mails and notes; consents; computed traits, audiences,
disabled destinations and a prediction model.

  --profiles N   people in the company (default 500)
  --seed S       the same seed builds the same company (default 1)
  --url URL      the running Triad (default http://127.0.0.1:PORT)
  --token TOKEN  an admin API token (default TRIAD_ADMIN_TOKEN)
  --force        add the demo even if the store already holds demo-like data`;

function wholeNumber(value: string | undefined, name: string, fallback: number, max: number) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`${name} must be a whole number from 1 to ${max}`);
  return n;
}

/** `triad demo`: the demo company, built against a running server. */
export const demoCommands: Record<string, Command> = {
  demo: {
    summary: 'Fill a running Triad with a realistic demo company (through its HTTP API)',
    usage,
    async run(argv, io) {
      const { values } = parseCommandArgs(argv, {
        profiles: { type: 'string' },
        seed: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        force: { type: 'boolean' },
      });
      const profiles = wholeNumber(values.profiles, '--profiles', 500, 100_000);
      const seed = wholeNumber(values.seed, '--seed', 1, 2 ** 31);
      const config = loadConfig(io.env);
      const url = values.url ?? `http://127.0.0.1:${config.port}`;
      const token = values.token ?? config.adminToken;
      if (token === undefined)
        throw new UsageError('no token: pass --token or set TRIAD_ADMIN_TOKEN');
      // A refusal (server down, bad token, data already there) is a DemoError: main prints its
      // one-line message and exits 1.
      const summary = await runDemo(
        { url, token, profiles, seed, force: values.force === true },
        fetch,
        (line) => io.out(line),
      );
      for (const line of formatSummary(summary)) io.out(line);
    },
  },
};
