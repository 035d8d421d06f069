import { useCallback, useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';

const storageKey = 'triad-theme';
const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function current(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return darkQuery().matches ? 'dark' : 'light';
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  const query = darkQuery();
  query.addEventListener('change', listener);
  return () => {
    listeners.delete(listener);
    query.removeEventListener('change', listener);
  };
}

/**
 * The effective theme: the person's choice if they made one (remembered in this browser),
 * otherwise the system's prefers-color-scheme, followed live.
 */
export function useTheme(): [Theme, () => void] {
  const theme = useSyncExternalStore(subscribe, current);
  const toggle = useCallback(() => {
    const next: Theme = current() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // Storage blocked: the choice lasts until the page is reloaded.
    }
    for (const listener of listeners) listener();
  }, []);
  return [theme, toggle];
}
