type Json = Record<string, unknown>;

/**
 * Profile traits with, per trait, the event time and the source priority of the value kept.
 * A value from a higher-priority source wins (the CRM over a web form); at equal priority the
 * latest event time wins.
 */
export interface TraitState {
  traits: Json;
  times: Record<string, string>;
  /** Source priority per trait; absent means 0, the default of every source. */
  priorities: Record<string, number>;
}

export const emptyTraits = (): TraitState => ({ traits: {}, times: {}, priorities: {} });

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
export function applyTraits(state: TraitState, traits: Json, at: string, priority = 0): TraitState {
  const next: TraitState = {
    traits: { ...state.traits },
    times: { ...state.times },
    priorities: { ...state.priorities },
  };
  for (const [name, value] of Object.entries(traits)) {
    const currentAt = next.times[name];
    const currentPriority = next.priorities[name] ?? 0;
    const wins =
      currentAt === undefined ||
      priority > currentPriority ||
      (priority === currentPriority && currentAt <= at);
    if (wins) {
      next.traits[name] = value;
      next.times[name] = at;
      if (priority === 0) delete next.priorities[name];
      else next.priorities[name] = priority;
    }
  }
  return next;
}

/** Combines two profiles' traits on merge, trait by trait, by the same rule. */
export function mergeTraits(a: TraitState, b: TraitState): TraitState {
  let merged: TraitState = {
    traits: { ...a.traits },
    times: { ...a.times },
    priorities: { ...a.priorities },
  };
  for (const [name, value] of Object.entries(b.traits)) {
    merged = applyTraits(merged, { [name]: value }, b.times[name] ?? '', b.priorities[name] ?? 0);
  }
  return merged;
}
