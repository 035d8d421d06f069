import { rewriteField, TRAIT_LOCATIONS } from './locations.js';
import { type CollectedEvent, ok, type StepResult } from './types.js';

/**
 * Step 5: trims and lower-cases `email` in `traits`, `properties` and `context.traits`, so the
 * same person is one identity whatever the capitalisation of a sign-up form. The address is not
 * validated: a malformed email is still the customer's data, and rejecting the event would lose
 * the rest of it. Non-string values are left alone.
 */
export function emailStep(event: CollectedEvent): StepResult<CollectedEvent> {
  let next = event;
  for (const location of TRAIT_LOCATIONS) {
    next = rewriteField(next, location, 'email', (value) =>
      typeof value === 'string' ? normalizeEmail(value) : value,
    );
  }
  return ok(next);
}

/** Trimmed, lower-cased email text. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
