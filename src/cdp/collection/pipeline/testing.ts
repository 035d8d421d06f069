import type { CollectedEvent } from './types.js';

/** A valid event for enrichment-step tests; override only what a case is about. */
export function eventWith(overrides: Partial<CollectedEvent> = {}): CollectedEvent {
  return {
    type: 'track',
    messageId: 'm-1',
    anonymousId: 'a-1',
    userId: null,
    event: 'Clicked',
    name: null,
    category: null,
    properties: {},
    traits: {},
    context: {},
    integrations: {},
    timestamp: '2026-01-01T00:00:00.000Z',
    originalTimestamp: null,
    sentAt: null,
    receivedAt: '2026-01-01T00:00:00.000Z',
    previousId: null,
    groupId: null,
    ...overrides,
  };
}
