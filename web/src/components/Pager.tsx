/**
 * Cursor paging: the API gives a `next` cursor only, so going back means remembering the
 * cursors already followed (a stack kept by the page).
 */
export function Pager({
  page,
  hasNext,
  onFirst,
  onPrevious,
  onNext,
  label,
}: {
  page: number;
  hasNext: boolean;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
  label: string;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={onFirst} disabled={page === 1}>
        Newest
      </button>
      <button type="button" onClick={onPrevious} disabled={page === 1}>
        Previous
      </button>
      <span aria-live="polite">Page {page}</span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next
      </button>
    </nav>
  );
}
