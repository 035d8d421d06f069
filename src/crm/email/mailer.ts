import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  replyTo?: string | undefined;
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
}

/** Sends one message; resolves with the server's message id once it was accepted. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** The sender address when the SMTP URL gives none (`?from=`). */
export const defaultFrom = 'crm@triad.localhost';

/**
 * A mailer over SMTP from `TRIAD_SMTP_URL` (`smtp://user:pass@host:587`, `smtps://...`). A
 * `from` query parameter sets the sender address and is not passed on to the transport.
 */
export function smtpMailer(smtpUrl: string): { mailer: Mailer; from: string } {
  const url = new URL(smtpUrl);
  const from = url.searchParams.get('from') ?? defaultFrom;
  url.searchParams.delete('from');
  const transport = nodemailer.createTransport(url.toString());
  return {
    from,
    mailer: {
      async send(mail) {
        const info = await transport.sendMail(mail);
        return { messageId: String(info.messageId ?? '') };
      },
      close: () => transport.close(),
    },
  };
}
