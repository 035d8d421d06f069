/** The demo company generator: fills a running Triad through its public HTTP API. */
export { DemoClient, DemoError, type FetchLike } from './client.js';
export { type DemoCompany, type DemoPerson, demoCast } from './company.js';
export {
  DEMO_SOURCES,
  type DemoOptions,
  type DemoSummary,
  demoTag,
  formatSummary,
  runDemo,
} from './demo.js';
export { Random } from './random.js';
