/**
 * The one logger, built at the composition root and passed down. Redaction is by field name at
 * every depth we log, and request logging never includes bodies, cookies or authorization
 * headers: passwords, PINs, tokens, TOTP secrets and full card numbers must never reach a log.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'pin',
  'token',
  'secret',
  'totp',
  'totpCode',
  'totpSecret',
  'code',
  'cardNumber',
  'card_number',
  'apiToken',
  'authorization',
  'cookie',
  'set-cookie',
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'vigil' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
