// The plumbing every Alibaba Cloud API caller shares (deploy, publish): client configuration, retries and errors.
// Below lib/deploy and lib/publish, which are siblings and may not import each other.
export { type AlibabaClientOptions, buildAlibabaClientConfig } from './client-config';
export {
  AlibabaApiError,
  type ApiCallContext,
  classifyFailure,
  type Clock,
  DEFAULT_RETRY_POLICY,
  type FailureKind,
  isApiError,
  isRetryableFailure,
  retryAfterMs,
  type RetryOptions,
  type RetryPolicy,
  SecretRedactor,
  systemClock,
  withRetry,
} from './api-call';
