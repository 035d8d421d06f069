import { type ReactNode, useEffect, useId, useRef } from 'react';

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** `drawer` slides in from the side (details); `modal` is centred (confirmations). */
  variant?: 'modal' | 'drawer';
}

/**
 * A native <dialog> opened as modal: the browser traps focus, closes it on Escape and returns
 * focus to what opened it, with no script of ours to get wrong.
 */
export function Dialog({ open, title, onClose, children, variant = 'modal' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape closes a native dialog; the backdrop click is the mouse's equivalent
    <dialog
      ref={ref}
      className={variant}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="dialog-content">
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="ghost" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </div>
        {open ? children : null}
      </div>
    </dialog>
  );
}

interface ConfirmProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  children: ReactNode;
}

/** A destructive step asks first; the safe choice (Cancel) has the focus. */
export function ConfirmDialog(props: ConfirmProps) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onCancel}>
      <div className="stack">
        {props.children}
        <div className="row end">
          {/* biome-ignore lint/a11y/noAutofocus: the dialog needs a focused control; Cancel is the safe one */}
          <button type="button" autoFocus onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" disabled={props.busy} onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
