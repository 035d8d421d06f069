#!/usr/bin/env node
// Runs the TypeScript sources directly (esbuild transpiles on load): no build step between a
// clone and a running stack.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/entry.ts');
