import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/client';
import { App } from './app/App';
import './styles/theme.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/content.css';

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      // A session that ended on the server (logged out elsewhere, expired): reload the page,
      // which drops the stale cookie and shows the login form, then comes back here.
      if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'session') {
        const back = window.location.pathname + window.location.search;
        window.location.assign(`/login?next=${encodeURIComponent(back)}`);
      }
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // Refusals will not change on retry; network blips may.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
