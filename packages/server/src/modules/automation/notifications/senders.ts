/**
 * The two ways a notification leaves Vigil. Webhooks are POSTed as JSON, signed with
 * HMAC-SHA256 over `<timestamp>.<body>` (`X-Vigil-Signature: v1=<hex>`, `X-Vigil-Timestamp`), with
 * a hard timeout and no redirects. E-mail goes through nodemailer's SMTP transport.
 */
import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { automationError } from '../errors.js';

export interface SendResult {
  readonly ok: boolean;
  readonly status: number | null;
  readonly error: string | null;
}

export interface WebhookMessage {
  readonly url: string;
  readonly secret: string | null;
  readonly deliveryId: string;
  readonly body: string;
  readonly timeoutMs: number;
  readonly now: Date;
}

export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export async function sendWebhook(message: WebhookMessage): Promise<SendResult> {
  const timestamp = String(Math.floor(message.now.getTime() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Vigil-Webhook/1',
    'x-vigil-delivery': message.deliveryId,
    'x-vigil-timestamp': timestamp,
  };
  if (message.secret) headers['x-vigil-signature'] = signatureOf(message.secret, timestamp, message.body);
  try {
    const response = await fetch(message.url, {
      method: 'POST',
      headers,
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(message.timeoutMs),
    });
    // Drain (and cap) the body so the connection is released.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, error: null };
    return { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (e) {
    const error = e as Error;
    const reason =
      error.name === 'TimeoutError' || error.name === 'AbortError' ? `no answer within ${message.timeoutMs} ms` : error.message;
    return { ok: false, status: null, error: reason };
  }
}

export interface MailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

export class Mailer {
  private readonly transport: Transporter | null;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    this.transport = smtpUrl
      ? nodemailer.createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs })
      : null;
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  async send(message: MailMessage): Promise<SendResult> {
    if (!this.transport) throw automationError('automation.email_unavailable', 'No SMTP server is configured (VIGIL_SMTP_URL)');
    try {
      await this.transport.sendMail({ from: this.from, to: [...message.to], subject: message.subject, text: message.text });
      return { ok: true, status: null, error: null };
    } catch (e) {
      return { ok: false, status: null, error: (e as Error).message.slice(0, 300) };
    }
  }

  close(): void {
    this.transport?.close();
  }
}
