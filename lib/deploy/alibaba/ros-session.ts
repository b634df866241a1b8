import { Clock, systemClock } from './clock';
import { PollSettings } from './poll-loop';
import { RosApi } from './ros-api';
import { RosClient } from './ros-client';
import { RecoveryHints } from './ros-deploy-error';
import { RosStackEventView } from './ros-event-stream';
import { assertStackName } from './ros-input-limits';
import { RetryPolicy } from './retry';
import { SecretRedactor } from './secret-redactor';

/** Options every ROS stack operation (deploy, preview, destroy) takes. */
export interface RosOperationOptions {
  /** From `createRosClient`. */
  readonly client: RosClient;
  readonly regionId: string;
  readonly stackName: string;
  /** Progress lines, already free of secrets. */
  readonly log?: (line: string) => void;
  /** Each new stack event, status reason already free of secrets. */
  readonly onEvent?: (event: RosStackEventView) => void;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
  /** @default 30000 */
  readonly maxPollIntervalMs?: number;
  /** Bound on any single wait (change set computation, stack operation). @default 3600000 (1 h) */
  readonly maxWaitMs?: number;
  /** Per-call retry policy for throttling, 5xx, resets and timeouts. */
  readonly retry?: Partial<RetryPolicy>;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Jitter source for retries. @default Math.random */
  readonly random?: () => number;
  /** How the caller names recovery commands in error messages. */
  readonly hints?: RecoveryHints;
}

export interface RosSession {
  readonly api: RosApi;
  readonly poll: PollSettings;
  readonly redactor: SecretRedactor;
  readonly stackName: string;
  readonly log: (line: string) => void;
  readonly onEvent?: (event: RosStackEventView) => void;
  readonly hints?: RecoveryHints;
}

export function openRosSession(opts: RosOperationOptions, secrets: Iterable<string> = []): RosSession {
  assertStackName(opts.stackName);
  const poll: PollSettings = {
    pollIntervalMs: positive('pollIntervalMs', opts.pollIntervalMs ?? 5_000),
    maxPollIntervalMs: positive('maxPollIntervalMs', opts.maxPollIntervalMs ?? 30_000),
    maxWaitMs: positive('maxWaitMs', opts.maxWaitMs ?? 3_600_000),
    clock: opts.clock ?? systemClock,
  };
  const redactor = new SecretRedactor(secrets);
  const log = (line: string) => opts.log?.(redactor.redact(line));
  const api = new RosApi(opts.client, {
    regionId: opts.regionId, stackName: opts.stackName, redactor, retry: opts.retry, clock: poll.clock, random: opts.random, log,
  });
  return { api, poll, redactor, stackName: opts.stackName, log, onEvent: opts.onEvent, hints: opts.hints };
}

function positive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${field} must be a positive number of milliseconds, got ${value}`);
  return value;
}
