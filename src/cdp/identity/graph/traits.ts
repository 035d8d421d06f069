type Json = Record<string, unknown>;

/** Profile traits with, per trait, the event time of the value kept: latest event time wins. */
export interface TraitState {
  traits: Json;
  times: Record<string, string>;
}

export const emptyTraits = (): TraitState => ({ traits: {}, times: {} });

/** Traits an event asserts: identify traits, and `context.traits` on any event. */
export function traitsOf(event: Json): Json {
  const context = event.context as Json | undefined;
  const contextTraits =
    context && typeof context.traits === 'object' && context.traits !== null
      ? (context.traits as Json)
      : {};
  const own =
    event.type === 'identify' && typeof event.traits === 'object' && event.traits !== null
      ? (event.traits as Json)
      : {};
  return { ...contextTraits, ...own };
}

/**
 * Applies traits observed at `at`. A late-arriving older event never overwrites a newer value;
 * at equal times the later-applied one wins, so replays in log order give the same result.
 */
export function applyTraits(state: TraitState, traits: Json, at: string): TraitState {
  const next: TraitState = { traits: { ...state.traits }, times: { ...state.times } };
  for (const [name, value] of Object.entries(traits)) {
    const current = next.times[name];
    if (current === undefined || current <= at) {
      next.traits[name] = value;
      next.times[name] = at;
    }
  }
  return next;
}

/** Combines two profiles' traits on merge, trait by trait, latest event time first. */
export function mergeTraits(a: TraitState, b: TraitState): TraitState {
  let merged = { traits: { ...a.traits }, times: { ...a.times } };
  for (const [name, value] of Object.entries(b.traits)) {
    merged = applyTraits(merged, { [name]: value }, b.times[name] ?? '');
  }
  return merged;
}
