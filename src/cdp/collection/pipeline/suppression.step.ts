// Direct import (not the privacy barrel): the pipeline must not pull in the request services.
import {
  hasSuppressions,
  isSuppressed,
  suppressedRejectionCode,
} from '../../../privacy/requests/suppression.js';
import { field, type JsonObject, type JsonValue, objectField } from './json.js';
import { TRAIT_LOCATIONS } from './locations.js';
import { type CollectedEvent, drop, ok, type StepResult } from './types.js';

/** The rejection code of an event carrying an erased or suppressed identifier. */
export const SUPPRESSED_CODE = suppressedRejectionCode;

const identityKeys = ['email', 'phone'] as const;

/**
 * Last enrichment step: drops an event that carries an identifier a privacy request erased or
 * suppressed, so an erased person does not come back through the next event their browser or
 * CRM sync sends. Runs after the e-mail and phone steps so identifiers are normalised. When
 * nothing is suppressed (the usual case) it costs one map lookup.
 */
export function suppressionStep(event: CollectedEvent): StepResult<CollectedEvent> {
  if (!hasSuppressions()) return ok(event);
  const values: string[] = [];
  const add = (value: JsonValue | undefined) => {
    if (typeof value === 'string' && value.trim() !== '') values.push(value);
    else if (typeof value === 'number' && Number.isFinite(value)) values.push(String(value));
  };
  add(event.userId ?? undefined);
  add(event.anonymousId ?? undefined);
  add(event.previousId ?? undefined);
  for (const location of TRAIT_LOCATIONS) {
    const holder: JsonObject | undefined =
      location === 'context.traits' ? objectField(event.context, 'traits') : event[location];
    if (!holder) continue;
    for (const key of identityKeys) add(field(holder, key));
  }
  const device = objectField(event.context, 'device');
  if (device) {
    add(field(device, 'id'));
    add(field(device, 'advertisingId'));
  }
  const externalIds = field(event.context, 'externalIds');
  if (Array.isArray(externalIds)) {
    for (const entry of externalIds.slice(0, 20)) {
      if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
        add(field(entry as JsonObject, 'id'));
      }
    }
  }
  return isSuppressed(values)
    ? drop(SUPPRESSED_CODE, 'the event carries an identifier erased or suppressed by request')
    : ok(event);
}
