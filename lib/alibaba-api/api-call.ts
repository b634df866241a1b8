import { S3AlicdnError } from '../errors';

// One Alibaba Cloud API call as every command makes it: bounded retries with jitter for throttling and transient
// failures, and one error type that names the service, action and target with secrets masked.

/** Time source for polling and backoff; tests inject a fast one instead of waiting for real seconds. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RetryPolicy {
  /** Total tries, the first included. @default 5 */
  readonly maxAttempts: number;
  /** @default 500 */
  readonly baseDelayMs: number;
  /** @default 20000 */
  readonly maxDelayMs: number;
}

/**
 * Sized for a real throttling spell: Alibaba's flow control answers `Throttling.*` for tens of seconds at a time.
 * Eleven tries with full jitter on a 1 s base capped at 20 s wait about 70 s in all on average (ceilings 1, 2, 4, 8,
 * 16, then 20 five times: 131 s at most), instead of the 3.75 s of the old 5 x 500 ms.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 11, baseDelayMs: 1_000, maxDelayMs: 20_000 };

export interface RetryOptions {
  readonly policy?: Partial<RetryPolicy>;
  readonly clock?: Pick<Clock, 'sleep'>;
  /** [0, 1) source for jitter. @default Math.random */
  readonly random?: () => number;
  readonly redactor?: SecretRedactor;
  /** Told about each retry, e.g. to log "throttled, retrying in 1.2 s". */
  readonly onRetry?: (info: { attempt: number; delayMs: number; kind: string; context: ApiCallContext }) => void;
}

/**
 * Runs one API call with bounded retries: throttling, 5xx, connection resets and timeouts are retried with
 * exponential backoff and full jitter (honouring the gateway's retry-after); anything else fails at once.
 * Callers must make retried writes idempotent (ROS `ClientToken`), because a reset or timeout can hide a success.
 */
export async function withRetry<T>(context: ApiCallContext, call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new Error(`retry maxAttempts must be a whole number >= 1, got ${policy.maxAttempts}`);
  }
  const sleep = options.clock?.sleep ?? systemClock.sleep;
  const random = options.random ?? Math.random;
  const redactor = options.redactor ?? new SecretRedactor();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const kind = classifyFailure(error);
      if (!isRetryableFailure(kind) || attempt >= policy.maxAttempts) {
        throw new AlibabaApiError(context, error, attempt, redactor);
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.max(Math.round(random() * ceiling), Math.min(retryAfterMs(error) ?? 0, policy.maxDelayMs));
      options.onRetry?.({ attempt, delayMs, kind, context });
      await sleep(delayMs);
    }
  }
}

const MASK = '****';
/** Shorter values are not masked: replacing a 1-3 character string everywhere would garble every message. */
const MIN_SECRET_LENGTH = 4;

/**
 * Masks known secret values (NoEcho parameter values) in any text before it reaches a log line or an error.
 * Also masks the percent-encoded forms, because SDK network errors quote the request URL, query string included.
 */
export class SecretRedactor {
  private readonly needles: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')])) {
      if (!this.needles.includes(form)) this.needles.push(form);
    }
    // Longest first, so a secret that contains another is masked whole.
    this.needles.sort((left, right) => right.length - left.length);
  }

  redact(text: string): string {
    let out = text;
    for (const needle of this.needles) out = out.split(needle).join(MASK);
    return out;
  }
}

/** Where a failed call happened, for a message a user can act on. */
export interface ApiCallContext {
  /** e.g. 'ROS', 'Alidns', 'CAS' */
  readonly service: string;
  readonly action: string;
  /** What the call was about, worded for a sentence: "stack 'cdn-prod'", "zone 'example.com'". */
  readonly target?: string;
}

export type FailureKind = 'throttled' | 'token-processing' | 'server' | 'network' | 'timeout' | 'client';

/** Shape of the errors thrown by `@alicloud/openapi-core` and by Node's HTTP stack underneath it. */
interface RawSdkError {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  requestId?: unknown;
  retryAfter?: unknown;
  data?: { Message?: unknown; message?: unknown };
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function classifyFailure(failure: unknown): FailureKind {
  const raw = (failure ?? {}) as RawSdkError;
  const code = typeof raw.code === 'string' ? raw.code : '';
  const name = typeof raw.name === 'string' ? raw.name : '';
  const status = typeof raw.statusCode === 'number' ? raw.statusCode : undefined;
  if (name === 'ThrottlingError' || code.includes('Throttling') || status === 429) return 'throttled';
  // Documented ROS error: the earlier request with this ClientToken is still being processed; the same request
  // again (same token) later gets its answer. Alibaba's ROS CDK CLI retries it too.
  if (code === 'LastTokenProcessing') return 'token-processing';
  if (name === 'RequestTimeoutError' || /^(Read|Connect)Timeout/.test(String(raw.message ?? ''))) return 'timeout';
  if (NETWORK_CODES.has(code)) return 'network';
  if (status !== undefined && status >= 500) return 'server';
  if (code === 'ServiceUnavailable' || code === 'InternalError') return 'server';
  return 'client';
}

export function isRetryableFailure(kind: FailureKind): boolean {
  return kind !== 'client';
}

/** `retryAfter` the gateway sent with a throttling error (`x-acs-retry-after`, milliseconds), if any. */
export function retryAfterMs(failure: unknown): number | undefined {
  const value = (failure as RawSdkError | undefined)?.retryAfter;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * An Alibaba Cloud API call that failed for good. The message names the service, the action, the target and the
 * error code; it never carries the request (whose URL holds every parameter value) and secrets are masked.
 * `code` is the project's error code; the API's own code (e.g. `StackNotFound`) is `apiCode`.
 */
export class AlibabaApiError extends S3AlicdnError {
  readonly service: string;
  readonly action: string;
  readonly target?: string;
  readonly apiCode: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly kind: FailureKind;
  readonly attempts: number;

  constructor(context: ApiCallContext, failure: unknown, attempts: number, redactor: SecretRedactor) {
    const raw = (failure ?? {}) as RawSdkError;
    const kind = classifyFailure(failure);
    const apiCode =
      typeof raw.code === 'string' && raw.code !== '' && raw.code !== 'undefined'
        ? raw.code
        : kind === 'timeout'
          ? 'RequestTimeout'
          : typeof raw.name === 'string'
            ? raw.name
            : 'UnknownError';
    const detail = redactor.redact(describeFailure(kind, raw));
    const where = context.target ? ` for ${context.target}` : '';
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    super('CLOUD_API', `${context.service} ${context.action}${where} failed${tries}: ${apiCode}: ${detail}`);
    this.service = context.service;
    this.action = context.action;
    this.target = context.target;
    this.apiCode = apiCode;
    this.statusCode = typeof raw.statusCode === 'number' ? raw.statusCode : undefined;
    this.requestId = typeof raw.requestId === 'string' && raw.requestId !== 'undefined' ? raw.requestId : undefined;
    this.kind = kind;
    this.attempts = attempts;
  }
}

function describeFailure(kind: FailureKind, raw: RawSdkError): string {
  // Network and timeout messages from the HTTP layer quote the full request URL: never pass them on.
  if (kind === 'network') return 'the connection to the API endpoint failed (connection reset or refused)';
  if (kind === 'timeout') return 'the API endpoint did not answer within the read/connect timeout';
  const server = raw.data?.Message ?? raw.data?.message;
  if (typeof server === 'string' && server !== '') return server;
  const message = typeof raw.message === 'string' ? raw.message : 'no error message';
  // openapi-core formats '<code>: code: <status>, <message> request id: <id>'; keep only the message.
  return message.replace(/^[^:]*: code: \d+, /, '').replace(/ request id: \S+$/, '');
}

export function isApiError(error: unknown, apiCode: string): error is AlibabaApiError {
  return error instanceof AlibabaApiError && error.apiCode === apiCode;
}
