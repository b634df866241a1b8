import Credential from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import RosClient, * as $ROS from '@alicloud/ros20190910';
import { S3AlicdnError } from '../../errors';

export { RosClient };

// ---------------------------------------------------------------------------------------------------------------
// Client configuration: shared by the ROS client here and the Alidns/CAS clients of the preflight.

/** What every Alibaba Cloud OpenAPI client in the deploy tooling can be told. */
export interface AlibabaClientOptions {
  /** Region the API is called in, e.g. `cn-hangzhou`. */
  readonly regionId: string;
  /**
   * Host (optionally `host:port`) to call instead of the SDK's per-region endpoint map, e.g. a VPC endpoint
   * (`ros-vpc.cn-hangzhou.aliyuncs.com`) or a local test double.
   * @default the official SDK's endpoint for `regionId`
   */
  readonly endpoint?: string;
  /** @default 'HTTPS' */
  readonly protocol?: 'HTTPS' | 'HTTP';
  /** @default 10000 */
  readonly readTimeoutMs?: number;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * Credential provider. The default is `@alicloud/credentials`' default chain: environment AK, OIDC role
   * (`ALIBABA_CLOUD_ROLE_ARN`/`ALIBABA_CLOUD_OIDC_PROVIDER_ARN`/`ALIBABA_CLOUD_OIDC_TOKEN_FILE`), CLI profile,
   * credentials file, ECS RAM role, credentials URI.
   * @default new Credential()
   */
  readonly credential?: Credential;
}

const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const ENDPOINT = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** Builds the `@alicloud/openapi-core` Config shared by the ROS, Alidns and CAS clients. */
export function buildAlibabaClientConfig(options: AlibabaClientOptions): $OpenApiUtil.Config {
  if (!REGION_ID.test(options.regionId)) {
    throw new S3AlicdnError(
      'USAGE',
      `regionId '${options.regionId}' is not an Alibaba Cloud region id (expected e.g. 'cn-hangzhou' or 'ap-southeast-1')`,
    );
  }
  if (options.endpoint !== undefined && !ENDPOINT.test(options.endpoint)) {
    throw new S3AlicdnError(
      'USAGE',
      `endpoint '${options.endpoint}' must be a host name with an optional port, without scheme or path (e.g. 'ros-vpc.cn-hangzhou.aliyuncs.com'); set the scheme with protocol`,
    );
  }
  for (const [field, value] of [
    ['readTimeoutMs', options.readTimeoutMs],
    ['connectTimeoutMs', options.connectTimeoutMs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new S3AlicdnError('USAGE', `${field} must be a positive whole number of milliseconds, got ${value}`);
    }
  }
  return new $OpenApiUtil.Config({
    credential: options.credential ?? new Credential(),
    regionId: options.regionId,
    endpoint: options.endpoint,
    protocol: options.protocol ?? 'HTTPS',
    readTimeout: options.readTimeoutMs ?? 10_000,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
  });
}

/**
 * The official ROS (2019-09-10) client. Retries are not configured here: `withRetry` wraps each call instead, so a
 * retry can name the stack and the action, and tests can inject the sleep.
 */
export function createRosClient(options: AlibabaClientOptions): RosClient {
  return new RosClient(buildAlibabaClientConfig(options));
}

// ---------------------------------------------------------------------------------------------------------------
// Time, retries and polling.

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

export interface PollSettings {
  /** First wait between reads, and the wait again after a read that showed progress. */
  readonly pollIntervalMs: number;
  /** Waits grow by half each quiet read, up to this. */
  readonly maxPollIntervalMs: number;
  /** Give up (timedOut) after this long. */
  readonly maxWaitMs: number;
  readonly clock: Clock;
  /** Clock time at which every wait ends, whatever is left of `maxWaitMs` (the overall `--timeout`). */
  readonly deadline?: number;
  /** The overall timeout behind `deadline`, for messages. */
  readonly overallTimeoutMs?: number;
}

export interface PollRead<T> {
  readonly value: T;
  readonly done: boolean;
  /** Something new was seen (events); resets the backoff so the user keeps getting prompt updates. */
  readonly progressed?: boolean;
}

/** Reads until `done` or `maxWaitMs`, backing off while nothing happens. Always reads at least once. */
export async function pollUntil<T>(
  read: () => Promise<PollRead<T>>,
  settings: PollSettings,
): Promise<{ value: T; timedOut: boolean; waitedMs: number }> {
  const start = settings.clock.now();
  const maxWaitMs = Math.max(0, Math.min(settings.maxWaitMs, (settings.deadline ?? Infinity) - start));
  let interval = settings.pollIntervalMs;
  for (;;) {
    const result = await read();
    const waitedMs = settings.clock.now() - start;
    if (result.done) return { value: result.value, timedOut: false, waitedMs };
    if (waitedMs >= maxWaitMs) return { value: result.value, timedOut: true, waitedMs };
    await settings.clock.sleep(Math.min(interval, maxWaitMs - waitedMs));
    interval = result.progressed ? settings.pollIntervalMs : Math.min(Math.round(interval * 1.5), settings.maxPollIntervalMs);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets and errors.

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

/** " (the overall --timeout of 600s ran out)" when the deadline is what ended a wait, else "". */
export function deadlineNote(settings: PollSettings): string {
  if (settings.deadline === undefined || settings.clock.now() < settings.deadline) return '';
  return ` (the overall --timeout of ${Math.round((settings.overallTimeoutMs ?? 0) / 1000)}s ran out)`;
}

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

export type RosDeployErrorReason =
  /** The stack operation ended in a failure or rollback state. */
  | 'operation-failed'
  /** The stack was still in progress when the wait bound (or the overall --timeout) ran out. */
  | 'timed-out'
  /** ROS reported no changes where the run had to put new (NoEcho) parameter values on the stack. */
  | 'parameters-not-applied'
  /** Another operation holds the stack. */
  | 'stack-busy'
  /** The stack is in a state that no change set can start from. */
  | 'stack-not-updatable'
  /** ROS could not compute the change set. */
  | 'change-set-failed'
  /** The change would replace a CDN domain deployed with `OriginServers` (stopped before executing). */
  | 'legacy-origin-servers';

export interface FailedResource {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly statusReason?: string;
}

/** A deploy/destroy that did not reach its goal. The message says what happened and what to do next. */
export class RosDeployError extends S3AlicdnError {
  constructor(
    message: string,
    readonly reason: RosDeployErrorReason,
    readonly stackName: string,
    readonly stackStatus?: string,
    readonly failedResources: readonly FailedResource[] = [],
  ) {
    super('DEPLOY_FAILED', message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The typed API.

export interface RosStackSummary {
  readonly stackId: string;
  readonly stackName: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createTime?: string;
  readonly updateTime?: string;
}

export interface RosStackDetail extends RosStackSummary {
  /** `{OutputKey: OutputValue}`; empty when outputs were not asked for or the stack has none (yet). */
  readonly outputs: Record<string, string>;
  /** `{ParameterKey: ParameterValue}` the stack runs with; NoEcho values come back masked ("****"). */
  readonly parameters: Record<string, string>;
}

export interface RosChangeSetDetail {
  readonly changeSetId: string;
  readonly changeSetName?: string;
  readonly changeSetType?: string;
  readonly stackId?: string;
  readonly status: string;
  readonly executionStatus?: string;
  readonly statusReason?: string;
  readonly createTime?: string;
  /** Raw `Changes` items as ROS returns them: `{Type: 'Resource', ResourceChange: {...}}`. */
  readonly changes: ReadonlyArray<unknown>;
}

export interface RosChangeSetSummary {
  readonly changeSetId: string;
  readonly changeSetName: string;
  readonly changeSetType?: string;
  readonly status: string;
  readonly executionStatus?: string;
}

export interface RosStackEvent {
  readonly eventId: string;
  readonly createTime: string;
  readonly logicalResourceId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly physicalResourceId?: string;
}

export interface CreateChangeSetInput {
  readonly changeSetName: string;
  readonly changeSetType: 'CREATE' | 'UPDATE';
  readonly stackId?: string;
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly clientToken: string;
  readonly replacementOption?: 'Enabled' | 'Disabled';
  readonly timeoutInMinutes?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface RosApiOptions {
  readonly regionId: string;
  readonly stackName: string;
  readonly redactor: SecretRedactor;
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Told about each retry, already redacted. */
  readonly log?: (line: string) => void;
}

/**
 * The ROS calls the deploy flow makes, each through bounded retries, with errors that name the action and the
 * stack, and counted (`apiCalls`, every attempt included) so tests can catch a runaway polling loop.
 */
export class RosApi {
  apiCalls = 0;

  constructor(
    private readonly client: RosClient,
    private readonly options: RosApiOptions,
  ) {}

  get regionId(): string {
    return this.options.regionId;
  }

  /** The live (not DELETE_COMPLETE) stack with this exact name, if any. */
  async findStackByName(stackName: string): Promise<RosStackSummary | undefined> {
    const body = await this.call('ListStacks', () =>
      this.client.listStacks(
        new $ROS.ListStacksRequest({
          regionId: this.options.regionId,
          stackName: [stackName],
          pageSize: 10,
        }),
      ),
    );
    const found = (body.stacks ?? []).find(
      (stack) => stack.stackName === stackName && stack.status !== 'DELETE_COMPLETE' && stack.stackId && stack.status,
    );
    return found
      ? {
          stackId: found.stackId!,
          stackName: found.stackName!,
          status: found.status!,
          statusReason: found.statusReason,
          createTime: found.createTime,
          updateTime: found.updateTime,
        }
      : undefined;
  }

  /**
   * One page of the region's stacks. ROS API ListStacks (2019-09-10): PageNumber from 1, PageSize at most 50;
   * without a Status filter deleted stacks are left out, but the caller checks the status anyway.
   */
  async listStacksPage(pageNumber: number, pageSize: number): Promise<{ stacks: RosStackSummary[]; totalCount: number }> {
    const body = await this.call('ListStacks', () =>
      this.client.listStacks(new $ROS.ListStacksRequest({ regionId: this.options.regionId, pageNumber, pageSize })),
    );
    const stacks = (body.stacks ?? [])
      .filter((stack) => stack.stackId && stack.stackName && stack.status)
      .map((stack) => ({
        stackId: stack.stackId!,
        stackName: stack.stackName!,
        status: stack.status!,
        statusReason: stack.statusReason,
        createTime: stack.createTime,
        updateTime: stack.updateTime,
      }));
    return { stacks, totalCount: body.totalCount ?? 0 };
  }

  /** Undefined when ROS no longer knows the stack (deleted). */
  async getStack(stackId: string, withOutputs = true): Promise<RosStackDetail | undefined> {
    try {
      const body = await this.call('GetStack', () =>
        this.client.getStack(
          new $ROS.GetStackRequest({
            regionId: this.options.regionId,
            stackId,
            outputOption: withOutputs ? 'Enabled' : 'Disabled',
          }),
        ),
      );
      const outputs: Record<string, string> = {};
      for (const output of body.outputs ?? []) {
        if (typeof output.OutputKey === 'string') {
          outputs[output.OutputKey] = typeof output.OutputValue === 'string' ? output.OutputValue : JSON.stringify(output.OutputValue);
        }
      }
      const parameters: Record<string, string> = {};
      for (const parameter of body.parameters ?? []) {
        if (typeof parameter.parameterKey === 'string') parameters[parameter.parameterKey] = parameter.parameterValue ?? '';
      }
      return {
        parameters,
        stackId: body.stackId ?? stackId,
        stackName: body.stackName ?? this.options.stackName,
        status: body.status ?? 'UNKNOWN',
        statusReason: body.statusReason,
        createTime: body.createTime,
        updateTime: body.updateTime,
        outputs,
      };
    } catch (error) {
      if (isApiError(error, 'StackNotFound')) return undefined;
      throw error;
    }
  }

  async createChangeSet(input: CreateChangeSetInput): Promise<{ changeSetId: string; stackId: string }> {
    const body = await this.call('CreateChangeSet', () =>
      this.client.createChangeSet(
        new $ROS.CreateChangeSetRequest({
          regionId: this.options.regionId,
          changeSetName: input.changeSetName,
          changeSetType: input.changeSetType,
          stackName: input.changeSetType === 'CREATE' ? this.options.stackName : undefined,
          stackId: input.changeSetType === 'UPDATE' ? input.stackId : undefined,
          templateBody: input.templateBody,
          parameters: Object.entries(input.parameters).map(
            ([parameterKey, parameterValue]) => new $ROS.CreateChangeSetRequestParameters({ parameterKey, parameterValue }),
          ),
          clientToken: input.clientToken,
          replacementOption: input.replacementOption,
          timeoutInMinutes: input.timeoutInMinutes,
          tags:
            input.tags && Object.keys(input.tags).length > 0
              ? Object.entries(input.tags).map(([key, value]) => new $ROS.CreateChangeSetRequestTags({ key, value }))
              : undefined,
        }),
      ),
    );
    if (!body.changeSetId || !body.stackId) {
      throw new Error(`ROS CreateChangeSet for stack '${this.options.stackName}' returned no ChangeSetId/StackId`);
    }
    return { changeSetId: body.changeSetId, stackId: body.stackId };
  }

  async getChangeSet(changeSetId: string): Promise<RosChangeSetDetail> {
    const body = await this.call('GetChangeSet', () =>
      this.client.getChangeSet(
        new $ROS.GetChangeSetRequest({
          regionId: this.options.regionId,
          changeSetId,
          showTemplate: false,
        }),
      ),
    );
    return {
      changeSetId: body.changeSetId ?? changeSetId,
      changeSetName: body.changeSetName,
      changeSetType: body.changeSetType,
      stackId: body.stackId,
      status: body.status ?? 'UNKNOWN',
      executionStatus: body.executionStatus,
      statusReason: body.statusReason,
      createTime: body.createTime,
      changes: body.changes ?? [],
    };
  }

  async listChangeSets(stackId: string, changeSetName?: string): Promise<RosChangeSetSummary[]> {
    const body = await this.call('ListChangeSets', () =>
      this.client.listChangeSets(
        new $ROS.ListChangeSetsRequest({
          regionId: this.options.regionId,
          stackId,
          changeSetName: changeSetName ? [changeSetName] : undefined,
          pageSize: 50,
        }),
      ),
    );
    return (body.changeSets ?? [])
      .filter((changeSet) => changeSet.changeSetId && changeSet.changeSetName)
      .map((changeSet) => ({
        changeSetId: changeSet.changeSetId!,
        changeSetName: changeSet.changeSetName!,
        changeSetType: changeSet.changeSetType,
        status: changeSet.status ?? 'UNKNOWN',
        executionStatus: changeSet.executionStatus,
      }));
  }

  /** A change set that is already gone counts as deleted. */
  async deleteChangeSet(changeSetId: string): Promise<void> {
    try {
      await this.call('DeleteChangeSet', () =>
        this.client.deleteChangeSet(
          new $ROS.DeleteChangeSetRequest({
            regionId: this.options.regionId,
            changeSetId,
          }),
        ),
      );
    } catch (error) {
      if (isApiError(error, 'ChangeSetNotFound')) return;
      throw error;
    }
  }

  async executeChangeSet(changeSetId: string, clientToken: string): Promise<void> {
    await this.call('ExecuteChangeSet', () =>
      this.client.executeChangeSet(
        new $ROS.ExecuteChangeSetRequest({
          regionId: this.options.regionId,
          changeSetId,
          clientToken,
        }),
      ),
    );
  }

  async listStackEvents(stackId: string, pageNumber: number, pageSize: number): Promise<{ events: RosStackEvent[]; totalCount: number }> {
    const body = await this.call('ListStackEvents', () =>
      this.client.listStackEvents(
        new $ROS.ListStackEventsRequest({
          regionId: this.options.regionId,
          stackId,
          pageNumber,
          pageSize,
        }),
      ),
    );
    const events = (body.events ?? [])
      .filter((event) => event.eventId && event.status)
      .map((event) => ({
        eventId: event.eventId!,
        createTime: event.createTime ?? '',
        logicalResourceId: event.logicalResourceId ?? '',
        resourceType: event.resourceType ?? '',
        status: event.status!,
        statusReason: event.statusReason,
        physicalResourceId: event.physicalResourceId,
      }));
    return { events, totalCount: body.totalCount ?? events.length };
  }

  async getTemplateBody(stackId: string): Promise<string | undefined> {
    const body = await this.call('GetTemplate', () =>
      this.client.getTemplate(
        new $ROS.GetTemplateRequest({
          regionId: this.options.regionId,
          stackId,
        }),
      ),
    );
    return body.templateBody;
  }

  async listStackResourceCount(stackId: string): Promise<number> {
    const body = await this.call('ListStackResources', () =>
      this.client.listStackResources(
        new $ROS.ListStackResourcesRequest({
          regionId: this.options.regionId,
          stackId,
        }),
      ),
    );
    return (body.resources ?? []).length;
  }

  async deleteStack(stackId: string): Promise<void> {
    await this.call('DeleteStack', () =>
      this.client.deleteStack(
        new $ROS.DeleteStackRequest({
          regionId: this.options.regionId,
          stackId,
        }),
      ),
    );
  }

  private async call<T extends { body?: unknown }>(action: string, send: () => Promise<T>): Promise<NonNullable<T['body']>> {
    const context = { service: 'ROS', action, target: `stack '${this.options.stackName}'` };
    const response = await withRetry(
      context,
      () => {
        this.apiCalls += 1;
        return send();
      },
      {
        policy: this.options.retry,
        clock: this.options.clock ?? systemClock,
        random: this.options.random,
        redactor: this.options.redactor,
        onRetry: ({ attempt, delayMs, kind }) =>
          this.options.log?.(
            `ROS ${action} for stack '${this.options.stackName}': ${kind} failure, retrying in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1})`,
          ),
      },
    );
    if (!response.body) throw new Error(`ROS ${action} for stack '${this.options.stackName}' returned an empty body`);
    return response.body as NonNullable<T['body']>;
  }
}
