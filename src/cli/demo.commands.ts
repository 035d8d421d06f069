import type { Command } from './commands.js';

export const demoCommands: Record<string, Command> = {};
