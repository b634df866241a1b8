import RosClient, * as $ROS from '@alicloud/ros20190910';
import {
  type AlibabaClientOptions,
  buildAlibabaClientConfig,
  type Clock,
  isApiError,
  type RetryPolicy,
  type SecretRedactor,
  systemClock,
  withRetry,
} from '../../alibaba-api';
import { S3AlicdnError } from '../../errors';

export { RosClient };

/**
 * The official ROS (2019-09-10) client. Retries are not configured here: `withRetry` wraps each call instead, so a
 * retry can name the stack and the action, and tests can inject the sleep.
 */
export function createRosClient(options: AlibabaClientOptions): RosClient {
  return new RosClient(buildAlibabaClientConfig(options));
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

/** " (the overall --timeout of 600s ran out)" when the deadline is what ended a wait, else "". */
export function deadlineNote(settings: PollSettings): string {
  if (settings.deadline === undefined || settings.clock.now() < settings.deadline) return '';
  return ` (the overall --timeout of ${Math.round((settings.overallTimeoutMs ?? 0) / 1000)}s ran out)`;
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
