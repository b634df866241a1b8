import { S3AlicdnError } from '../errors';

/** One problem with a configuration value: where it is, what it was, and what is allowed. */
export interface ConfigIssue {
  readonly path: string;
  readonly value: unknown;
  readonly allowed: string;
}

/**
 * Raised for any invalid configuration before anything is synthesized or written. The message lists every issue,
 * one per line, so a user fixes them all in one pass instead of one per run.
 */
export class ConfigError extends S3AlicdnError {
  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      'CONFIG_INVALID',
      `Invalid configuration in ${source}:\n` +
        issues
          .map((issue) =>
            issue.value === undefined
              ? `  - ${issue.path}: missing; ${issue.allowed}`
              : `  - ${issue.path}: ${describeValue(issue.value)} is not allowed: ${issue.allowed}`,
          )
          .join('\n'),
    );
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}
