import { AlibabaApiError, ApiCallContext, classifyFailure, isRetryableFailure, retryAfterMs } from './api-error';
import { Clock, systemClock } from './clock';
import { SecretRedactor } from './secret-redactor';

export interface RetryPolicy {
  /** Total tries, the first included. @default 5 */
  readonly maxAttempts: number;
  /** @default 500 */
  readonly baseDelayMs: number;
  /** @default 20000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 20_000 };

export interface RetryOptions {
  readonly policy?: Partial<RetryPolicy>;
  readonly clock?: Pick<Clock, 'sleep'>;
  /** [0, 1) source for jitter. @default Math.random */
  readonly random?: () => number;
  readonly redactor?: SecretRedactor;
  /** Told about each retry, e.g. to log "throttled, retrying in 1.2 s". */
  readonly onRetry?: (info: { attempt: number; delayMs: number; kind: string; ctx: ApiCallContext }) => void;
}

/**
 * Runs one API call with bounded retries: throttling, 5xx, connection resets and timeouts are retried with
 * exponential backoff and full jitter (honouring the gateway's retry-after); anything else fails at once.
 * Callers must make retried writes idempotent (ROS `ClientToken`), because a reset or timeout can hide a success.
 */
export async function withRetry<T>(ctx: ApiCallContext, call: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...opts.policy };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new Error(`retry maxAttempts must be a whole number >= 1, got ${policy.maxAttempts}`);
  }
  const sleep = opts.clock?.sleep ?? systemClock.sleep;
  const random = opts.random ?? Math.random;
  const redactor = opts.redactor ?? new SecretRedactor();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const kind = classifyFailure(err);
      if (!isRetryableFailure(kind) || attempt >= policy.maxAttempts) {
        throw new AlibabaApiError(ctx, err, attempt, redactor);
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.max(Math.round(random() * ceiling), Math.min(retryAfterMs(err) ?? 0, policy.maxDelayMs));
      opts.onRetry?.({ attempt, delayMs, kind, ctx });
      await sleep(delayMs);
    }
  }
}
