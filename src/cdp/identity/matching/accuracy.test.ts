import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_DATASETS, isAvailable } from './benchmark-datasets.js';
import { resolveCsvFile } from './resolve-csv.js';

// Pairwise F1 floors on the clusters written, with the default configuration (no labels, no
// per-data-set tuning, Febrl's soc_sec_id not used).
const FLOORS: Record<string, number> = {
  'febrl dataset1': 0.995,
  'febrl dataset2': 0.998,
  'febrl dataset3': 0.998,
  'splink fake_1000': 0.87,
};

const out = mkdtempSync(join(tmpdir(), 'identity-accuracy-'));

for (const dataset of BENCHMARK_DATASETS) {
  const available = isAvailable(dataset);
  if (!available) {
    console.warn(`identity accuracy: ${dataset.file} not found, skipping ${dataset.name}`);
  }
  describe.skipIf(!available)(`accuracy on ${dataset.name}`, () => {
    it(`reaches pairwise F1 >= ${FLOORS[dataset.name]}`, async () => {
      const result = await resolveCsvFile({
        ...dataset,
        out: join(out, `${dataset.name.replace(/\W+/g, '-')}.csv`),
      });
      const metrics = result.metrics;
      expect(metrics).toBeDefined();
      expect(metrics?.f1).toBeGreaterThanOrEqual(FLOORS[dataset.name] ?? 1);
      expect(result.resolution.stats.comparedFields).not.toContain('national_id');
    });
  });
}
