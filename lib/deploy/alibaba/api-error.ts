import { SecretRedactor } from './secret-redactor';

/** Where a failed call happened, for a message a user can act on. */
export interface ApiCallContext {
  /** e.g. 'ROS', 'Alidns', 'CAS' */
  readonly service: string;
  readonly action: string;
  /** What the call was about, worded for a sentence: "stack 'cdn-prod'", "zone 'example.com'". */
  readonly target?: string;
}

export type FailureKind = 'throttled' | 'server' | 'network' | 'timeout' | 'client';

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

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

export function classifyFailure(err: unknown): FailureKind {
  const e = (err ?? {}) as RawSdkError;
  const code = typeof e.code === 'string' ? e.code : '';
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (name === 'ThrottlingError' || code.includes('Throttling') || status === 429) return 'throttled';
  if (name === 'RequestTimeoutError' || /^(Read|Connect)Timeout/.test(String(e.message ?? ''))) return 'timeout';
  if (NETWORK_CODES.has(code)) return 'network';
  if (status !== undefined && status >= 500) return 'server';
  if (code === 'ServiceUnavailable' || code === 'InternalError') return 'server';
  return 'client';
}

export function isRetryableFailure(kind: FailureKind): boolean {
  return kind !== 'client';
}

/** `retryAfter` the gateway sent with a throttling error (`x-acs-retry-after`, milliseconds), if any. */
export function retryAfterMs(err: unknown): number | undefined {
  const v = (err as RawSdkError | undefined)?.retryAfter;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * An Alibaba Cloud API call that failed for good. The message names the service, the action, the target and the
 * error code; it never carries the request (whose URL holds every parameter value) and secrets are masked.
 */
export class AlibabaApiError extends Error {
  readonly service: string;
  readonly action: string;
  readonly target?: string;
  readonly code: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly kind: FailureKind;
  readonly attempts: number;

  constructor(ctx: ApiCallContext, raw: unknown, attempts: number, redactor: SecretRedactor) {
    const e = (raw ?? {}) as RawSdkError;
    const kind = classifyFailure(raw);
    const code = typeof e.code === 'string' && e.code !== '' && e.code !== 'undefined'
      ? e.code
      : kind === 'timeout' ? 'RequestTimeout' : typeof e.name === 'string' ? e.name : 'UnknownError';
    const detail = redactor.redact(describe(kind, e));
    const where = ctx.target ? ` for ${ctx.target}` : '';
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    super(`${ctx.service} ${ctx.action}${where} failed${tries}: ${code}: ${detail}`);
    this.name = 'AlibabaApiError';
    this.service = ctx.service;
    this.action = ctx.action;
    this.target = ctx.target;
    this.code = code;
    this.statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    this.requestId = typeof e.requestId === 'string' && e.requestId !== 'undefined' ? e.requestId : undefined;
    this.kind = kind;
    this.attempts = attempts;
  }
}

function describe(kind: FailureKind, e: RawSdkError): string {
  // Network and timeout messages from the HTTP layer quote the full request URL: never pass them on.
  if (kind === 'network') return 'the connection to the API endpoint failed (connection reset or refused)';
  if (kind === 'timeout') return 'the API endpoint did not answer within the read/connect timeout';
  const server = e.data?.Message ?? e.data?.message;
  if (typeof server === 'string' && server !== '') return server;
  const msg = typeof e.message === 'string' ? e.message : 'no error message';
  // openapi-core formats '<code>: code: <status>, <message> request id: <id>'; keep only the message.
  return msg.replace(/^[^:]*: code: \d+, /, '').replace(/ request id: \S+$/, '');
}
