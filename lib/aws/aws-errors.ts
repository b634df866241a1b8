/**
 * Helpers to classify AWS SDK v3 errors and to describe them without ever carrying a credential along.
 * Errors are matched by code rather than `instanceof`: one wire code surfaces under different names. A modeled
 * query-protocol error (IAM, STS) is thrown as its class, e.g. name "NoSuchEntityException" with Code
 * "NoSuchEntity"; an unmodeled one (e.g. IAM's "AccessDenied") keeps the wire code as its name.
 * It sits with the AWS app rather than in deploy because verify, a sibling of deploy, matches the same errors.
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

/** True when the error's name or Code is `code`, with or without the SDK's "Exception" suffix. */
export function isAwsError(error: unknown, code: string): boolean {
  if (!error || typeof error !== 'object') return false;
  const base = code.replace(/Exception$/, '');
  const { name, Code } = error as { name?: unknown; Code?: unknown };
  return [name, Code].some((candidate) => typeof candidate === 'string' && candidate.replace(/Exception$/, '') === base);
}

export function isAccessDenied(error: unknown): boolean {
  return isAwsError(error, 'AccessDenied');
}

// Long-term and temporary key ids, and anything shaped like a 40-char secret key or a long session token: an
// upstream message that happens to quote one must not carry it into our output.
const SECRET_PATTERNS: RegExp[] = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
  /[A-Za-z0-9/+=]{100,}/g,
];

export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((scrubbed, pattern) => scrubbed.replace(pattern, '[redacted]'), text);
}

/** `Name: message` of an error, scrubbed, for the "we did not expect this" branch of a check. */
export function describeAwsError(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const name = awsErrorName(error);
  return scrubSecrets(message ? `${name}: ${message}` : name);
}
