/**
 * The public benchmark data sets with ground truth, as used by the accuracy tests and
 * benchmarks. Data lives outside the repository, in `<repoRoot>/../shared/data/identity/`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldMap, TruthSource } from './resolve-csv.js';

/** Repository root, from this file's location (src/cdp/identity/matching). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Directory holding the identity benchmark data. */
export const IDENTITY_DATA_DIR = join(REPO_ROOT, '..', 'shared', 'data', 'identity');

/** One benchmark data set and how its columns map onto person fields. */
export interface BenchmarkDataset {
  readonly name: string;
  readonly file: string;
  readonly idColumn: string;
  readonly map: FieldMap;
  readonly truthColumn?: string;
  readonly truth?: TruthSource;
}

/**
 * Febrl columns mapped to person fields. `soc_sec_id` is deliberately not mapped: it is an
 * almost-unique identifier that would make the task trivial, and real CDP data rarely has one.
 */
export const FEBRL_MAP: FieldMap = {
  first_name: 'given_name',
  last_name: 'surname',
  street_number: 'street_number',
  address_line1: 'address_1',
  address_line2: 'address_2',
  city: 'suburb',
  postcode: 'postcode',
  state: 'state',
  dob: 'date_of_birth',
};

function febrl(n: 1 | 2 | 3): BenchmarkDataset {
  return {
    name: `febrl dataset${n}`,
    file: join(IDENTITY_DATA_DIR, 'febrl', `dataset${n}.csv`),
    idColumn: 'rec_id',
    map: FEBRL_MAP,
    truth: 'febrl-rec-id',
  };
}

/** Febrl datasets 1–3 and Splink's fake_1000, in that order. */
export const BENCHMARK_DATASETS: readonly BenchmarkDataset[] = [
  febrl(1),
  febrl(2),
  febrl(3),
  {
    name: 'splink fake_1000',
    file: join(IDENTITY_DATA_DIR, 'splink_fake_1000', 'fake_1000.csv'),
    idColumn: 'unique_id',
    map: {
      first_name: 'first_name',
      last_name: 'surname',
      dob: 'dob',
      city: 'city',
      email: 'email',
    },
    truthColumn: 'cluster',
  },
];

/** Whether a data set's file is present (the data is not part of the repository). */
export function isAvailable(dataset: BenchmarkDataset): boolean {
  return existsSync(dataset.file);
}
