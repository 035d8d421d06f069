import type { Command } from './commands.js';

/** CLI commands of event imports (triad import). */
export const ingestCommands: Record<string, Command> = {};
