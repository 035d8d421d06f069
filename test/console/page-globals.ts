/**
 * The few browser globals the tests read inside `page.evaluate`. The root tsconfig has no DOM
 * library on purpose (server code must not see browser types), so the callbacks reach them
 * through `inPage()`, typed here. The callbacks run in the page: they may only use what they
 * are given there, never variables of the test.
 */
interface ElementLike {
  id: string;
  type?: string;
  textContent: string | null;
  outerHTML: string;
  labels?: { length: number } | null;
  getAttribute(name: string): string | null;
}

interface EntryLike {
  name: string;
  startTime: number;
  initiatorType?: string;
  encodedBodySize?: number;
  domContentLoadedEventEnd?: number;
}

export interface PageGlobals {
  document: {
    body: ElementLike;
    activeElement: ElementLike | null;
    documentElement: ElementLike & { scrollWidth: number; clientWidth: number };
    querySelectorAll(selector: string): Iterable<ElementLike>;
  };
  getComputedStyle(element: ElementLike): { backgroundColor: string };
  performance: {
    getEntriesByType(type: 'navigation' | 'resource' | 'paint'): EntryLike[];
    now(): number;
  };
}
