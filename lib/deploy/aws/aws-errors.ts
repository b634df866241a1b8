/**
 * Helpers to classify AWS SDK v3 errors by name and to describe them without ever carrying a credential along.
 * SDK errors are matched by `name` (not `instanceof`) because service exceptions, smithy provider errors and plain
 * objects from other layers all use it, and mocks in tests reproduce it faithfully.
 */

export function awsErrorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const named = error as { name?: unknown; Code?: unknown; code?: unknown };
    for (const candidate of [named.name, named.Code, named.code]) {
      if (typeof candidate === 'string' && candidate !== 'Error') return candidate;
    }
  }
  return 'Error';
}

export function awsHttpStatus(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

const ACCESS_DENIED_NAMES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

export function isAccessDenied(error: unknown): boolean {
  return ACCESS_DENIED_NAMES.has(awsErrorName(error));
}

// Long-term and temporary key ids, and anything shaped like a 40-char secret key or a long session token: an
// upstream message that happens to quote one must not carry it into our output.
const SECRET_PATTERNS: RegExp[] = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
  /[A-Za-z0-9/+=]{100,}/g,
];

export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((acc, pattern) => acc.replace(pattern, '[redacted]'), text);
}

/** `Name: message` of an error, scrubbed, for the "we did not expect this" branch of a check. */
export function describeAwsError(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const name = awsErrorName(error);
  return scrubSecrets(message ? `${name}: ${message}` : name);
}
