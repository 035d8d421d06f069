/** An identifier of a person as seen on an event: `user_id:42`, `email:ada@example.com`. */
export interface ExternalId {
  type: string;
  value: string;
}

export const idKey = (id: ExternalId) => `${id.type}:${id.value}`;

const maxValueLength = 256;

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > maxValueLength ? undefined : trimmed;
}

/**
 * The identifiers an event carries, as Segment Unify reads them: `userId`, `anonymousId`,
 * `email` and `phone` traits, the device ID, the advertising ID (only when ad tracking is
 * enabled) and custom `context.externalIds`. `groupId` names an account, not a person, so it
 * is never a merge key. Duplicates are removed; order is stable.
 */
export function externalIdsOf(event: Json): ExternalId[] {
  const ids: ExternalId[] = [];
  const add = (type: string, raw: unknown, normalize: (v: string) => string = (v) => v) => {
    const value = text(raw);
    if (value !== undefined) ids.push({ type, value: normalize(value) });
  };
  add('user_id', event.userId);
  add('anonymous_id', event.anonymousId);
  const context = asObject(event.context) ?? {};
  const traits = {
    ...(asObject(context.traits) ?? {}),
    ...(event.type === 'identify' ? (asObject(event.traits) ?? {}) : {}),
  };
  add('email', traits.email, (v) => v.toLowerCase());
  add('phone', traits.phone);
  const device = asObject(context.device) ?? {};
  add('device_id', device.id);
  if (device.adTrackingEnabled === true) add('advertising_id', device.advertisingId);
  const externalIds = Array.isArray(context.externalIds) ? context.externalIds : [];
  for (const entry of externalIds.slice(0, 20)) {
    const item = asObject(entry);
    const type = text(item?.type)
      ?.toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    if (item && type) add(type, item.id);
  }
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = idKey(id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
