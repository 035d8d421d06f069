import type { Command } from './commands.js';

/** CLI commands of the DMP (triad dmp ...). */
export const dmpCommands: Record<string, Command> = {};
