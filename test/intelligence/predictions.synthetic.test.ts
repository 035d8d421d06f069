import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auc } from '../../src/cdp/predictions/metrics.js';
import {
  generatePopulation,
  hiddenPropensity,
  insertPopulation,
} from '../../src/cdp/predictions/synthetic.js';
import { inHoldout, trainAndScore } from '../../src/cdp/predictions/training.js';
import { AppError } from '../../src/kernel/errors.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

/**
 * A population with a known hidden purchase propensity, written into the tables the identity
 * graph keeps: the trained model must beat recency alone and rank people well (deterministic
 * seed, so the figures are stable).
 */
const now = Date.parse('2026-06-01T00:00:00.000Z');
const clock = { now: () => new Date(now) };
const day = 86_400_000;

describe.each(enginesUnderTest())('predictions on a synthetic population ($name)', (engine) => {
  let store: TestStore;
  const population = generatePopulation({ size: 3000, seed: 11, now });
  let profileOf: Map<string, string>;
  beforeAll(async () => {
    store = await engine.open();
    profileOf = await insertPopulation(store.store.db, population);
  }, 120_000);
  afterAll(() => store?.destroy());

  it('the purchase model beats the recency baseline and approaches the oracle', async () => {
    const result = await trainAndScore(
      { db: store.store.db, clock },
      { kind: 'purchase', windowDays: 30, traitKey: 'predicted_purchase_30d' },
    );
    const m = result.metrics;
    expect(m.positives).toBeGreaterThanOrEqual(100);
    expect(m.auc).toBeGreaterThan(0.7);
    expect(m.auc).toBeGreaterThan((m.baselineAuc ?? 1) + 0.01);

    const cutoff = now - 30 * day;
    const oracle: number[] = [];
    const labels: number[] = [];
    for (const person of population.people) {
      if (!inHoldout(profileOf.get(person.userId) as string)) continue;
      if ((person.events[0]?.at ?? now) >= cutoff) continue;
      oracle.push(hiddenPropensity(person, cutoff, now));
      labels.push(
        person.events.some((e) => e.event === 'Order Completed' && e.at >= cutoff) ? 1 : 0,
      );
    }
    expect(labels.length).toBe(m.holdoutExamples);
    // Within 0.1 of what knowing the hidden rates would give.
    expect(m.auc).toBeGreaterThan(auc(oracle, labels) - 0.1);
    expect(m.topFeatures.length).toBeGreaterThan(3);
    expect(m.scoredProfiles).toBe(3000);

    const rows = await store.store.db.selectFrom('identity_profiles').select('traits').execute();
    const traits = rows.map((r) => JSON.parse(r.traits) as Record<string, unknown>);
    const cohorts = new Map<unknown, number>();
    for (const t of traits) {
      expect(t.predicted_purchase_30d).toBeGreaterThanOrEqual(0);
      expect(t.predicted_purchase_30d).toBeLessThanOrEqual(1);
      cohorts.set(
        t.predicted_purchase_30d_cohort,
        (cohorts.get(t.predicted_purchase_30d_cohort) ?? 0) + 1,
      );
    }
    expect(cohorts.get('high')).toBeGreaterThan(450);
    expect(cohorts.get('high')).toBeLessThan(750);
    expect(cohorts.get('low')).toBeGreaterThan(1200);
  }, 120_000);

  it('churn and value models report metrics beside their baselines', async () => {
    const churn = await trainAndScore(
      { db: store.store.db, clock },
      { kind: 'churn', windowDays: 60, traitKey: 'predicted_churn_60d' },
    );
    expect(churn.metrics.auc).toBeGreaterThan(0.7);
    const value = await trainAndScore(
      { db: store.store.db, clock },
      { kind: 'value', windowDays: 90, traitKey: 'predicted_value_90d' },
    );
    expect(value.metrics.mae).toBeLessThan(value.metrics.baselineMae ?? 0);
    expect(value.metrics.rmse).toBeLessThan(value.metrics.baselineRmse ?? 0);
    const row = await store.store.db
      .selectFrom('identity_profiles')
      .select('traits')
      .where('id', '=', profileOf.get('u1') as string)
      .executeTakeFirstOrThrow();
    const traits = JSON.parse(row.traits);
    // Both models' traits sit side by side; the earlier purchase traits are untouched.
    expect(traits).toHaveProperty('predicted_purchase_30d');
    expect(traits).toHaveProperty('predicted_churn_60d_percentile');
    expect(traits.predicted_value_90d).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('refuses to train a window with too few examples', async () => {
    // Fifteen days before the population's first day: nobody has history yet.
    const early = { now: () => new Date(now - 170 * day) };
    await expect(
      trainAndScore(
        { db: store.store.db, clock: early },
        { kind: 'purchase', windowDays: 15, traitKey: 'predicted_purchase_15d' },
      ),
    ).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'insufficient_data');
  });
});
