import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's Chromium. Like the tests that need PostgreSQL or Redis, they
// are skipped — loudly — on a machine without it; `.ci/run` installs it, so CI runs them.
const chromium = '/usr/bin/chromium';
const browserTests = [
  'test/console/{events,performance,roles,settings,shell,sources}.test.ts',
  'test/e2e/analytics-next.test.ts',
  'test/e2e/journey.test.ts',
];
if (!existsSync(chromium)) {
  console.warn(
    `\n*** ${chromium} is missing: the browser tests are SKIPPED (apt-get install chromium; CI installs it) ***\n`,
  );
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(existsSync(chromium) ? [] : browserTests)],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
