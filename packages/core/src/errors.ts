/**
 * Errors with stable codes. Domain code throws `VigilError`; the API maps the error's kind to a
 * status in one place, and `docs/errors.md` is generated from the catalogues, so a client can rely
 * on `code` and never has to compare message strings.
 */

/** What went wrong, in domain terms. The API (and only the API) turns a kind into an HTTP status. */
export type ErrorKind =
  | 'invalid' // the input is malformed or breaks a rule
  | 'unauthenticated' // no valid identity
  | 'forbidden' // identity known, permission missing
  | 'not_found'
  | 'conflict' // the request contradicts stored state (duplicate, wrong lifecycle state)
  | 'too_large'
  | 'rate_limited'
  | 'unavailable' // a dependency is down; try again later
  | 'integrity' // stored data failed verification (tampering, corruption)
  | 'internal';

export interface ErrorDefinition {
  readonly kind: ErrorKind;
  /** One sentence for the error reference: when this happens and what to do. */
  readonly description: string;
}

export type ErrorCatalogue = Readonly<Record<string, ErrorDefinition>>;

/** Declares a module's error codes; keeps literal keys so `code` is type-checked at throw sites. */
export function defineErrors<const T extends ErrorCatalogue>(catalogue: T): T {
  return catalogue;
}

export class VigilError extends Error {
  override readonly name = 'VigilError';
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/**
 * Binds a catalogue to a throw helper: `fail('facility.site_not_found', 'No site x', { site })`.
 * The kind comes from the catalogue, so a code can never be thrown with the wrong kind.
 */
export function errorFactory<T extends ErrorCatalogue>(catalogue: T) {
  return function error(code: keyof T & string, message: string, details?: Record<string, unknown>): VigilError {
    const def = catalogue[code];
    if (!def) throw new Error(`unknown error code ${code}`);
    return new VigilError(code, def.kind, message, details);
  };
}

export function isVigilError(e: unknown): e is VigilError {
  return e instanceof VigilError;
}

export const coreErrors = defineErrors({
  'validation.failed': { kind: 'invalid', description: 'The input does not match its schema; `details.errors` lists each failing path.' },
  'validation.unknown_event_type': { kind: 'invalid', description: 'An event names a type that is not in the event catalogue.' },
});
