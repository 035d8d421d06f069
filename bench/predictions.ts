/**
 * Does the purchase model recover a known hidden propensity? PROFILES people (default 20,000)
 * are generated with log-normal purchase rates, browsing loosely tied to them and random
 * dormancy; their events are written into the event and profile tables, a 30-day purchase
 * model is trained through the real feature extraction, and its holdout AUC is printed beside
 * the recency-only baseline and the oracle (each person's true purchase probability over the
 * same window, on the same holdout). Also trains churn and value models for their figures.
 *
 *   npx tsx bench/predictions.ts            PROFILES=100000 npx tsx bench/predictions.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auc } from '../src/cdp/predictions/metrics.js';
import {
  generatePopulation,
  hiddenPropensity,
  insertPopulation,
  trueProbability,
} from '../src/cdp/predictions/synthetic.js';
import { inHoldout, trainAndScore } from '../src/cdp/predictions/training.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openStore } from '../src/storage/store.js';

const size = Number(process.env.PROFILES ?? 20_000);
const windowDays = Number(process.env.WINDOW_DAYS ?? 30);
const seed = Number(process.env.SEED ?? 7);
const day = 86_400_000;
const now = Date.parse('2026-06-01T00:00:00.000Z');
const clock = { now: () => new Date(now) };

const dir = mkdtempSync(join(tmpdir(), 'triad-bench-'));
const store = openStore({ engine: 'sqlite', file: join(dir, 'triad.db') });
try {
  await migrateToLatest(store.db);
  const population = generatePopulation({ size, seed, now });
  const events = population.people.reduce((n, p) => n + p.events.length, 0);
  let t = performance.now();
  const profileOf = await insertPopulation(store.db, population);
  console.log(
    `population  ${size} people, ${events} events, loaded in ${Math.round(performance.now() - t)} ms`,
  );

  t = performance.now();
  const purchase = await trainAndScore(
    { db: store.db, clock },
    {
      kind: 'purchase',
      windowDays,
      traitKey: `predicted_purchase_${windowDays}d`,
    },
  );
  const trainMs = Math.round(performance.now() - t);

  // The oracle on exactly the model's holdout: people with history before the cutoff.
  const cutoff = now - windowDays * day;
  const oracle: number[] = [];
  const future: number[] = [];
  const labels: number[] = [];
  for (const person of population.people) {
    const profileId = profileOf.get(person.userId) as string;
    if (!inHoldout(profileId) || (person.events[0]?.at ?? now) >= cutoff) continue;
    oracle.push(hiddenPropensity(person, cutoff, now));
    future.push(trueProbability(person, cutoff, now));
    labels.push(
      person.events.some((e) => e.event === 'Order Completed' && e.at >= cutoff && e.at < now)
        ? 1
        : 0,
    );
  }
  const m = purchase.metrics;
  const oracleAuc = auc(oracle, labels);
  console.log(
    `\npurchase within ${windowDays} days: ${m.examples} examples (${m.positives} positive), holdout ${m.holdoutExamples}`,
  );
  console.log('metric        model    recency baseline    oracle    model/oracle');
  console.log(
    `holdout AUC   ${m.auc?.toFixed(4)}   ${m.baselineAuc?.toFixed(4)}              ${oracleAuc.toFixed(4)}    ${((m.auc ?? 0) / oracleAuc).toFixed(3)}`,
  );
  console.log(
    `(upper bound: the true probability, which also knows who goes dormant inside the window: ${auc(future, labels).toFixed(4)})`,
  );
  console.log(`train + score ${trainMs} ms (${m.scoredProfiles} profiles scored)`);
  console.log(
    'top features:',
    m.topFeatures
      .slice(0, 5)
      .map((f) => `${f.feature} ${f.weight}`)
      .join(', '),
  );

  const churn = await trainAndScore(
    { db: store.db, clock },
    {
      kind: 'churn',
      windowDays,
      traitKey: `predicted_churn_${windowDays}d`,
    },
  );
  console.log(
    `\nchurn within ${windowDays} days: AUC ${churn.metrics.auc?.toFixed(4)} vs recency ${churn.metrics.baselineAuc?.toFixed(4)}`,
  );
  const value = await trainAndScore(
    { db: store.db, clock },
    {
      kind: 'value',
      windowDays: 90,
      traitKey: 'predicted_value_90d',
    },
  );
  const v = value.metrics;
  console.log(
    `value over 90 days: MAE ${v.mae} vs recency ${v.baselineMae}, RMSE ${v.rmse} vs recency ${v.baselineRmse}`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
