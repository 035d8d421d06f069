import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { CopyButton } from '../../components/CopyButton';
import { snippetsFor } from './snippets';

/** The set-up snippets as tabs, with arrow-key navigation between tabs (WAI-ARIA tabs). */
export function SnippetTabs({ origin, writeKey }: { origin: string; writeKey: string }) {
  const snippets = snippetsFor(origin, writeKey);
  const [selected, setSelected] = useState(0);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const base = useId();

  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (selected + step + snippets.length) % snippets.length;
    setSelected(next);
    tabs.current[next]?.focus();
  };

  const active = snippets[selected] ?? snippets[0];
  if (!active) return null;
  return (
    <section className="card stack" aria-labelledby={`${base}-title`}>
      <h2 id={`${base}-title`}>Set up</h2>
      <div role="tablist" aria-label="SDK" className="tabs" onKeyDown={onKeyDown}>
        {snippets.map((snippet, i) => (
          <button
            key={snippet.id}
            ref={(element) => {
              tabs.current[i] = element;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${snippet.id}`}
            aria-selected={i === selected}
            aria-controls={`${base}-panel`}
            tabIndex={i === selected ? 0 : -1}
            onClick={() => setSelected(i)}
          >
            {snippet.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${active.id}`}>
        <div className="row end">
          <CopyButton text={active.code} label={`Copy the ${active.label} snippet`} />
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable code block must be reachable by keyboard */}
        <pre className="code" tabIndex={0} data-testid="snippet">
          <code>{active.code}</code>
        </pre>
      </div>
    </section>
  );
}
