import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string[];
  raw: string;
}

export interface Mailbox {
  /** SMTP_URL for the api under test. */
  url: string;
  mails: Mail[];
  /** Resolves with the next mail to `to` that arrives after the call (or is already unread). */
  next(to: string, timeoutMs?: number): Promise<Mail>;
  close(): Promise<void>;
}

/**
 * A real local SMTP server (smtp-server) that keeps every mail in memory, so tests read sign-in codes
 * exactly as a person would: from the delivered message. No TLS or AUTH, on a random loopback port.
 */
export async function startMailbox(): Promise<Mailbox> {
  const mails: Mail[] = [];
  const read = new Set<Mail>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: Buffer.concat(chunks).toString('utf8') });
        for (const w of waiters) w();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    next(to, timeoutMs = 10_000) {
      const address = to.toLowerCase();
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const mail = mails.find((m) => !read.has(m) && m.to.includes(address));
          if (!mail) return;
          read.add(mail);
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail to ${to} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The six-digit code in a sign-in mail's text. */
export function codeInMail(mail: Mail): string {
  // Undo quoted-printable soft line breaks, which may split the sentence.
  const match = /sign-in code is (\d{6})/.exec(mail.raw.replace(/=\r?\n/g, ''));
  if (!match) throw new Error(`no code in mail:\n${mail.raw}`);
  return match[1];
}
