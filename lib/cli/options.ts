import { Option } from 'commander';
import { DEFAULT_STAGE } from '../config/load-stage';
import { S3AlicdnError } from '../errors';

/**
 * The flags several commands share, defined once so that `--stage` means the same thing (same default, same
 * environment variable) for synth, the stage commands and review. Factories, because commander owns an Option
 * once it is added to a command.
 */
export const stageOption = (): Option =>
  new Option('-s, --stage <name>', 'stage to use: config/<name>.json').env('S3ALICDN_STAGE').default(DEFAULT_STAGE);

export const siteOption = (): Option => new Option('--site <id...>', 'only these sites (site id such as test-test-com, or its domain)');

export const profileOption = (): Option => new Option('--profile <name>', 'AWS profile (default: AWS_PROFILE or the default chain)');

export const regionOption = (): Option =>
  new Option('--region <region>', "AWS region for account-wide calls (default: the first site's bucket region)");

export const timeoutOption = (): Option =>
  new Option(
    '--timeout <duration>',
    'give up waiting after this long in all (e.g. 900, 90s, 15m, 2h; seconds without a unit); what is left running is reported',
  );

/** `--timeout` as milliseconds: a positive number with an optional unit s, m or h (seconds without one). */
export function parseTimeout(text: string | undefined): number | undefined {
  return parseDuration('--timeout', text);
}

export const reviewWaitOption = (): Option =>
  new Option(
    '--review-wait <duration>',
    "how long to wait for Alibaba's review of a new CDN domain before stopping with exit status 3 (e.g. 0, 10m, 2h; default 10m)",
  );

/** A duration flag as milliseconds: a number with an optional unit s, m or h (seconds without one); 0 only if allowed. */
export function parseDuration(flag: string, text: string | undefined, options: { allowZero?: boolean } = {}): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/i.exec(text.trim());
  const unitMs = { s: 1_000, m: 60_000, h: 3_600_000 }[(match?.[2] ?? 's').toLowerCase() as 's' | 'm' | 'h'];
  const ms = match ? Math.round(Number(match[1]) * unitMs) : NaN;
  if (!Number.isFinite(ms) || ms < 0 || (ms === 0 && !options.allowZero)) {
    const examples = options.allowZero ? '0, 900, 90s, 15m or 2h' : '900, 90s, 15m or 2h';
    throw new S3AlicdnError('USAGE', `${flag}: "${text}" is not allowed; give a duration such as ${examples}`);
  }
  return ms;
}
