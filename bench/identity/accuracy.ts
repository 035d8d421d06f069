/**
 * Accuracy benchmark on the public data sets with ground truth (Febrl 1–3, Splink fake_1000):
 * pairwise precision, recall and F1 of the clusters written, largest cluster and wall time,
 * for the matcher's default configuration against the exact (name, dob) baseline.
 * Febrl's soc_sec_id is never used in the main table; a separate, labelled line shows the F1
 * when it is mapped to national_id. Run: npx tsx bench/identity/accuracy.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BENCHMARK_DATASETS,
  isAvailable,
} from '../../src/cdp/identity/matching/benchmark-datasets.js';
import {
  loadPersonCsv,
  pairwiseMetrics,
  resolveCsvFile,
} from '../../src/cdp/identity/matching/index.js';
import { exactNameDobClusters, largestCluster, printTable } from './baseline.js';

const out = mkdtempSync(join(tmpdir(), 'identity-bench-'));

for (const dataset of BENCHMARK_DATASETS) {
  if (!isAvailable(dataset)) {
    console.warn(`${dataset.name}: ${dataset.file} not found, skipped`);
    continue;
  }
  const ours = await resolveCsvFile({ ...dataset, out: join(out, 'clusters.csv') });
  const started = performance.now();
  const loaded = await loadPersonCsv(dataset);
  const baselineLabels = exactNameDobClusters(loaded.records);
  const baselineSeconds = (performance.now() - started) / 1000;
  const truth = loaded.truth ?? [];
  const base = pairwiseMetrics(baselineLabels, truth);
  const metrics = ours.metrics ?? base;
  printTable(`== ${dataset.name}: ${ours.records} records, ${metrics.truePairs} true pairs ==`, [
    { metric: 'precision', ours: metrics.precision, baseline: base.precision, digits: 4 },
    { metric: 'recall', ours: metrics.recall, baseline: base.recall, digits: 4 },
    { metric: 'F1', ours: metrics.f1, baseline: base.f1, digits: 4 },
    {
      metric: 'largest cluster',
      ours: ours.largestCluster,
      baseline: largestCluster(baselineLabels),
      digits: 0,
    },
    { metric: 'time (s)', ours: ours.seconds, baseline: baselineSeconds, digits: 3 },
  ]);
  console.log(
    `  candidate pairs ${ours.resolution.stats.candidatePairs}, merges ${ours.merges}, suggestions ${ours.suggestions}`,
  );
  if (dataset.name.startsWith('febrl')) {
    const withId = await resolveCsvFile({
      ...dataset,
      map: { ...dataset.map, national_id: 'soc_sec_id' },
      out: join(out, 'clusters-with-id.csv'),
    });
    console.log(
      `  [separate run WITH soc_sec_id mapped to national_id] F1 ${withId.metrics?.f1.toFixed(4)}`,
    );
  }
}
