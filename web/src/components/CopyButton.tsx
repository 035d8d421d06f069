import { useState } from 'react';

/** Copies text to the clipboard and says so (for screen readers too, via a live region). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // Clipboard access needs a secure context or permission; the text stays selectable.
      setState('failed');
    }
    window.setTimeout(() => setState('idle'), 2000);
  };
  return (
    <span className="copy">
      <button type="button" onClick={() => void copy()} aria-label={label}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span role="status" className="visually-hidden">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Copy failed' : ''}
      </span>
    </span>
  );
}
