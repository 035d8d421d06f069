/**
 * Scale benchmark: a generated population of 50,000 person records (common names shared by
 * strangers, households sharing surname/address/landline/family email, nicknames, typos,
 * swapped names, missing and mistyped dates of birth, "test@test.com" and phone "0" shared by
 * strangers) with injected duplicates and known truth. Prints throughput, wall time, peak RSS,
 * pairwise F1 and largest cluster beside the exact (name, dob) baseline.
 * Run: npx tsx bench/identity/scale.ts [records]
 */
import { pairwiseMetrics, resolvePersons } from '../../src/cdp/identity/matching/index.js';
import { generatePopulation } from '../../src/cdp/identity/matching/synthetic/population.js';
import { exactNameDobClusters, largestCluster, printTable } from './baseline.js';

const size = Number(process.argv[2] ?? 50_000);
const population = generatePopulation({ records: size, seed: 2024 });
const rssBefore = process.memoryUsage().rss;

const started = performance.now();
const resolution = resolvePersons(population.records);
const seconds = (performance.now() - started) / 1000;
// maxRSS is in kilobytes and covers the whole process lifetime, generation included.
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const baseStarted = performance.now();
const baselineLabels = exactNameDobClusters(population.records);
const baseSeconds = (performance.now() - baseStarted) / 1000;

const ours = pairwiseMetrics(resolution.clusterIds, population.truth);
const base = pairwiseMetrics(baselineLabels, population.truth);
printTable(
  `== synthetic population: ${size} records, ${population.people} people, ${ours.truePairs} true pairs ==`,
  [
    { metric: 'records/s', ours: size / seconds, baseline: size / baseSeconds, digits: 0 },
    { metric: 'wall time (s)', ours: seconds, baseline: baseSeconds, digits: 3 },
    { metric: 'precision', ours: ours.precision, baseline: base.precision, digits: 4 },
    { metric: 'recall', ours: ours.recall, baseline: base.recall, digits: 4 },
    { metric: 'F1', ours: ours.f1, baseline: base.f1, digits: 4 },
    {
      metric: 'largest cluster',
      ours: resolution.stats.largestCluster,
      baseline: largestCluster(baselineLabels),
      digits: 0,
    },
  ],
);
console.log(
  `  peak RSS ${peakRssMb.toFixed(0)} MB (RSS before matching ${(rssBefore / 2 ** 20).toFixed(0)} MB)`,
);
console.log(
  `  candidate pairs ${resolution.stats.candidatePairs}, comparisons ${resolution.stats.comparisons}, ` +
    `oversized blocks skipped ${resolution.stats.oversizedBlocks.length}, ` +
    `merges ${resolution.merges.length}, suggestions ${resolution.suggestions.length}`,
);
