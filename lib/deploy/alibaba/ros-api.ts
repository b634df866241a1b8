import * as $ROS from '@alicloud/ros20190910';
import { AlibabaApiError } from './api-error';
import { Clock, systemClock } from './clock';
import { RosClient } from './ros-client';
import { RetryPolicy, withRetry } from './retry';
import { SecretRedactor } from './secret-redactor';

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
  readonly log?: (line: string) => void;
}

/**
 * The ROS calls the deploy flow makes, each through bounded retries, with errors that name the action and the
 * stack, and counted (`apiCalls`, every attempt included) so tests can catch a runaway polling loop.
 */
export class RosApi {
  apiCalls = 0;

  constructor(private readonly client: RosClient, private readonly opts: RosApiOptions) {}

  get regionId(): string {
    return this.opts.regionId;
  }

  /** The live (not DELETE_COMPLETE) stack with this exact name, if any. */
  async findStackByName(stackName: string): Promise<RosStackSummary | undefined> {
    const body = await this.call('ListStacks', () => this.client.listStacks(new $ROS.ListStacksRequest({
      regionId: this.opts.regionId, stackName: [stackName], pageSize: 10,
    })));
    const stacks = (body.stacks ?? [])
      .filter((s) => s.stackName === stackName && s.status !== 'DELETE_COMPLETE' && s.stackId && s.status);
    const found = stacks[0];
    return found ? {
      stackId: found.stackId!, stackName: found.stackName!, status: found.status!,
      statusReason: found.statusReason, createTime: found.createTime, updateTime: found.updateTime,
    } : undefined;
  }

  /** Undefined when ROS no longer knows the stack (deleted). */
  async getStack(stackId: string, withOutputs = true): Promise<RosStackDetail | undefined> {
    try {
      const body = await this.call('GetStack', () => this.client.getStack(new $ROS.GetStackRequest({
        regionId: this.opts.regionId, stackId, outputOption: withOutputs ? 'Enabled' : 'Disabled',
      })));
      const outputs: Record<string, string> = {};
      for (const o of body.outputs ?? []) {
        if (typeof o.OutputKey === 'string') outputs[o.OutputKey] = typeof o.OutputValue === 'string' ? o.OutputValue : JSON.stringify(o.OutputValue);
      }
      return {
        stackId: body.stackId ?? stackId, stackName: body.stackName ?? this.opts.stackName, status: body.status ?? 'UNKNOWN',
        statusReason: body.statusReason, createTime: body.createTime, updateTime: body.updateTime, outputs,
      };
    } catch (err) {
      if (err instanceof AlibabaApiError && err.code === 'StackNotFound') return undefined;
      throw err;
    }
  }

  async createChangeSet(input: CreateChangeSetInput): Promise<{ changeSetId: string; stackId: string }> {
    const body = await this.call('CreateChangeSet', () => this.client.createChangeSet(new $ROS.CreateChangeSetRequest({
      regionId: this.opts.regionId,
      changeSetName: input.changeSetName,
      changeSetType: input.changeSetType,
      stackName: input.changeSetType === 'CREATE' ? this.opts.stackName : undefined,
      stackId: input.changeSetType === 'UPDATE' ? input.stackId : undefined,
      templateBody: input.templateBody,
      parameters: Object.entries(input.parameters).map(([parameterKey, parameterValue]) =>
        new $ROS.CreateChangeSetRequestParameters({ parameterKey, parameterValue })),
      clientToken: input.clientToken,
      replacementOption: input.replacementOption,
      timeoutInMinutes: input.timeoutInMinutes,
      tags: input.tags && Object.keys(input.tags).length > 0
        ? Object.entries(input.tags).map(([key, value]) => new $ROS.CreateChangeSetRequestTags({ key, value }))
        : undefined,
    })));
    if (!body.changeSetId || !body.stackId) {
      throw new Error(`ROS CreateChangeSet for stack '${this.opts.stackName}' returned no ChangeSetId/StackId`);
    }
    return { changeSetId: body.changeSetId, stackId: body.stackId };
  }

  async getChangeSet(changeSetId: string): Promise<RosChangeSetDetail> {
    const body = await this.call('GetChangeSet', () => this.client.getChangeSet(new $ROS.GetChangeSetRequest({
      regionId: this.opts.regionId, changeSetId, showTemplate: false,
    })));
    return {
      changeSetId: body.changeSetId ?? changeSetId, changeSetName: body.changeSetName, changeSetType: body.changeSetType,
      stackId: body.stackId, status: body.status ?? 'UNKNOWN', executionStatus: body.executionStatus,
      statusReason: body.statusReason, createTime: body.createTime, changes: body.changes ?? [],
    };
  }

  async listChangeSets(stackId: string, changeSetName?: string): Promise<RosChangeSetSummary[]> {
    const body = await this.call('ListChangeSets', () => this.client.listChangeSets(new $ROS.ListChangeSetsRequest({
      regionId: this.opts.regionId, stackId, changeSetName: changeSetName ? [changeSetName] : undefined, pageSize: 50,
    })));
    return (body.changeSets ?? []).filter((c) => c.changeSetId && c.changeSetName).map((c) => ({
      changeSetId: c.changeSetId!, changeSetName: c.changeSetName!, changeSetType: c.changeSetType,
      status: c.status ?? 'UNKNOWN', executionStatus: c.executionStatus,
    }));
  }

  /** A change set that is already gone counts as deleted. */
  async deleteChangeSet(changeSetId: string): Promise<void> {
    try {
      await this.call('DeleteChangeSet', () => this.client.deleteChangeSet(new $ROS.DeleteChangeSetRequest({
        regionId: this.opts.regionId, changeSetId,
      })));
    } catch (err) {
      if (err instanceof AlibabaApiError && err.code === 'ChangeSetNotFound') return;
      throw err;
    }
  }

  async executeChangeSet(changeSetId: string, clientToken: string): Promise<void> {
    await this.call('ExecuteChangeSet', () => this.client.executeChangeSet(new $ROS.ExecuteChangeSetRequest({
      regionId: this.opts.regionId, changeSetId, clientToken,
    })));
  }

  async listStackEvents(stackId: string, pageNumber: number, pageSize: number): Promise<{ events: RosStackEvent[]; totalCount: number }> {
    const body = await this.call('ListStackEvents', () => this.client.listStackEvents(new $ROS.ListStackEventsRequest({
      regionId: this.opts.regionId, stackId, pageNumber, pageSize,
    })));
    const events = (body.events ?? []).filter((e) => e.eventId && e.status).map((e) => ({
      eventId: e.eventId!, createTime: e.createTime ?? '', logicalResourceId: e.logicalResourceId ?? '',
      resourceType: e.resourceType ?? '', status: e.status!, statusReason: e.statusReason,
      physicalResourceId: e.physicalResourceId,
    }));
    return { events, totalCount: body.totalCount ?? events.length };
  }

  async getTemplateBody(stackId: string): Promise<string | undefined> {
    const body = await this.call('GetTemplate', () => this.client.getTemplate(new $ROS.GetTemplateRequest({
      regionId: this.opts.regionId, stackId,
    })));
    return body.templateBody;
  }

  async listStackResourceCount(stackId: string): Promise<number> {
    const body = await this.call('ListStackResources', () => this.client.listStackResources(new $ROS.ListStackResourcesRequest({
      regionId: this.opts.regionId, stackId,
    })));
    return (body.resources ?? []).length;
  }

  async deleteStack(stackId: string): Promise<void> {
    await this.call('DeleteStack', () => this.client.deleteStack(new $ROS.DeleteStackRequest({
      regionId: this.opts.regionId, stackId,
    })));
  }

  private async call<T extends { body?: unknown }>(action: string, fn: () => Promise<T>): Promise<NonNullable<T['body']>> {
    const ctx = { service: 'ROS', action, target: `stack '${this.opts.stackName}'` };
    const res = await withRetry(ctx, () => {
      this.apiCalls += 1;
      return fn();
    }, {
      policy: this.opts.retry,
      clock: this.opts.clock ?? systemClock,
      random: this.opts.random,
      redactor: this.opts.redactor,
      onRetry: ({ attempt, delayMs, kind }) => this.opts.log?.(
        `ROS ${action} for stack '${this.opts.stackName}': ${kind} failure, retrying in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1})`),
    });
    if (!res.body) throw new Error(`ROS ${action} for stack '${this.opts.stackName}' returned an empty body`);
    return res.body as NonNullable<T['body']>;
  }
}
