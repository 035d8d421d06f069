import type { CrmConfig } from '../config.js';
import type { Deps } from '../kernel/deps.js';
import { type Mailer, smtpMailer } from './email/mailer.js';

/** The CRM's long-lived parts (mail transport, schedulers), created once at start-up. */
export interface CrmRuntime {
  config: CrmConfig;
  /** Undefined when `TRIAD_SMTP_URL` is not set: sending answers `smtp_not_configured`. */
  mail: { mailer: Mailer; from: string } | undefined;
  close(): Promise<void>;
}

export async function createCrmRuntime(deps: Deps & { config: CrmConfig }): Promise<CrmRuntime> {
  const mail = deps.config.smtpUrl ? smtpMailer(deps.config.smtpUrl) : undefined;
  return {
    config: deps.config,
    mail,
    close: async () => mail?.mailer.close(),
  };
}
