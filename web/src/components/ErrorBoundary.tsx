import { Component, type ReactNode } from 'react';

interface State {
  error: Error | undefined;
}

/** Keeps a failing page (or a chunk that failed to load) from blanking the whole console. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <div role="alert" className="notice error">
          <h1>This page failed</h1>
          <p>{this.state.error.message}</p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
