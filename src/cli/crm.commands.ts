import type { Command } from './commands.js';

/** CLI commands of the CRM (triad crm ...). */
export const crmCommands: Record<string, Command> = {};
