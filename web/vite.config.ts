import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the Triad process itself (src/http/console.ts); `npm run
// dev:console` serves it with hot reload and forwards API calls to a Triad on port 8080.
export const config = defineConfig({
  plugins: [react()],
  // Vite's caches stay with the project's other dependencies, not inside web/.
  cacheDir: '../node_modules/.vite/console',
  build: {
    target: 'es2022',
    // Bundles stay small enough to read over a phone connection; warn early if one grows.
    chunkSizeWarningLimit: 400,
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/v1', '/openapi.json'].map((path) => [
        path,
        {
          target: 'http://127.0.0.1:8080',
          // The API refuses cookie requests from another origin; seen through the proxy, the
          // console's origin is the API's own.
          headers: { origin: 'http://127.0.0.1:8080' },
        },
      ]),
    ),
  },
});

export default config;
