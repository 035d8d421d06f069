import { useEffect, useState } from 'react';

/** `value`, once it has stopped changing for `ms` (compared as JSON, so new equal objects wait). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const text = JSON.stringify(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the JSON text is the dependency that matters
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [text, ms]);
  return settled;
}
