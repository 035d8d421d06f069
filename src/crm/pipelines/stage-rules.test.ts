import { describe, expect, it } from 'vitest';
import type { Pipeline, Stage } from './pipeline.js';
import { resolveStage } from './stage-rules.js';

const stage = (id: string, archived = false): Stage => ({
  id,
  label: id,
  displayOrder: 0,
  metadata: {},
  createdAt: '',
  updatedAt: '',
  archived,
});
const pipeline = (id: string, stages: Stage[], archived = false): Pipeline => ({
  id,
  label: id,
  displayOrder: 0,
  stages,
  createdAt: '',
  updatedAt: '',
  archived,
});
const pipelines = [
  pipeline('default', [stage('a'), stage('b'), stage('old', true)]),
  pipeline('p2', [stage('x'), stage('y')]),
  pipeline('gone', [stage('g')], true),
];
const at = (p: string, s: string) => ({ pipeline: p, stage: s });

describe('resolveStage', () => {
  it.each([
    ['new record, nothing given', undefined, {}, { ok: true, pipeline: 'default', stage: 'a' }],
    [
      'new record, pipeline only',
      undefined,
      { pipeline: 'p2' },
      { ok: true, pipeline: 'p2', stage: 'x' },
    ],
    [
      'new record, stage only',
      undefined,
      { stage: 'b' },
      { ok: true, pipeline: 'default', stage: 'b' },
    ],
    [
      'move within the pipeline',
      at('default', 'a'),
      { stage: 'b' },
      { ok: true, pipeline: 'default', stage: 'b' },
    ],
    [
      'move to another pipeline with a stage',
      at('default', 'a'),
      { pipeline: 'p2', stage: 'y' },
      { ok: true, pipeline: 'p2', stage: 'y' },
    ],
    [
      'move to another pipeline without a stage',
      at('default', 'a'),
      { pipeline: 'p2' },
      { ok: false, field: 'stage' },
    ],
    [
      'stage of another pipeline',
      at('default', 'a'),
      { stage: 'x' },
      { ok: false, field: 'stage' },
    ],
    ['archived stage', at('default', 'a'), { stage: 'old' }, { ok: false, field: 'stage' }],
    ['archived pipeline', undefined, { pipeline: 'gone' }, { ok: false, field: 'pipeline' }],
    ['unknown pipeline', undefined, { pipeline: 'nope' }, { ok: false, field: 'pipeline' }],
    ['clearing the stage', at('default', 'a'), { stage: null }, { ok: false, field: 'stage' }],
    [
      'clearing the pipeline',
      at('default', 'a'),
      { pipeline: null },
      { ok: false, field: 'pipeline' },
    ],
  ] as const)('%s', (_name, current, change, expected) => {
    const outcome = resolveStage(pipelines, current, {
      pipeline: 'pipeline' in change ? change.pipeline : undefined,
      stage: 'stage' in change ? change.stage : undefined,
    });
    expect(outcome).toMatchObject(expected);
  });
});
