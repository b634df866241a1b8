import { randomUUID } from 'node:crypto';
import {
  buildPreview,
  changeSetIdentity,
  type ChangeSetReadiness,
  type ChangeSetType,
  changesForNewStack,
  createChangeSet,
  executeClientToken,
  isDestructive,
  normalizeChanges,
  obtainChangeSet,
  type RosChangePreview,
  type RosResourceChange,
  waitForChangeSet,
} from './change-sets';
import {
  deadlineNote,
  type PollSettings,
  RosApi,
  type RosChangeSetDetail,
  type RosClient,
  RosDeployError,
  type RosStackSummary,
} from './ros-client';
import { type Clock, type RetryPolicy, SecretRedactor, systemClock } from '../../alibaba-api';
import {
  assertRosDeployInputs,
  assertStackName,
  isDegradedAfterUpdate,
  isFailedCreate,
  isOperationInProgress,
  isSameTemplate,
  isUpdatable,
  nextStepFor,
  readTemplateFacts,
  type RecoveryHints,
  REVIEW_IN_PROGRESS,
  type RosTemplateFacts,
  successStatusFor,
} from './stack-facts';
import { operationFailedError, RosEventStream, type RosProgress, waitForStackToSettle } from './stack-events';

/** How a `RosDeployment` talks to ROS and how patient it is. One per stage command run. */
export interface RosDeploymentOptions {
  /** From `createRosClient`. */
  readonly client: RosClient;
  readonly regionId: string;
  /** Where progress lines and stack events go, once each; already free of secrets. @default nowhere */
  readonly progress?: RosProgress;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
  /** @default 30000 */
  readonly maxPollIntervalMs?: number;
  /** Bound on any single wait (change set computation, stack operation). @default 3600000 (1 h) */
  readonly maxWaitMs?: number;
  /** How long to wait for an operation someone else started before refusing; 0 refuses at once. @default maxWaitMs */
  readonly waitForInProgressMs?: number;
  /** Delete a stack whose first create failed, then create it again. @default false */
  readonly recreateFailedStack?: boolean;
  /** How the caller names recovery commands in error messages. */
  readonly hints?: RecoveryHints;
  /** Per-call retry policy for throttling, 5xx, resets and timeouts. */
  readonly retry?: Partial<RetryPolicy>;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Jitter source for retries. @default Math.random */
  readonly random?: () => number;
  /**
   * Bound on everything this deployment object does from its creation (the CLI's `--timeout`): every wait is cut
   * to what is left, and on expiry the error says what state the stack was left in. @default no overall bound
   */
  readonly overallTimeoutMs?: number;
}

/** One stack's template and parameters, as deploy and preview take them. */
export interface RosStackRequest {
  readonly stackName: string;
  /** The synthesized ROS template (JSON). */
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Parameters whose values are secret. Parameters declared `NoEcho` in the template are added automatically. */
  readonly noEchoParameterKeys?: readonly string[];
  /** Stack tags (applied by the change set). */
  readonly tags?: Readonly<Record<string, string>>;
  /** 10-1440; ROS's default (60) when unset. */
  readonly timeoutInMinutes?: number;
  /** @default 'deploy' for deploy, 'diff' for preview */
  readonly changeSetNamePrefix?: string;
}

export interface RosDeployRequest extends RosStackRequest {
  /**
   * Decides whether to execute; the preview has already gone to `progress`, so this only answers (it does not print).
   */
  readonly confirm: (preview: RosChangePreview) => Promise<boolean>;
  /**
   * The stack must end up running with exactly these parameter values (a rotated key the CDN has to use before the
   * old one is retired). ROS masks NoEcho values, so its "no changes" cannot prove they are in place: with this set,
   * an executable change set is executed even when it lists no resource changes, and a "no changes" answer from
   * ROS fails with reason 'parameters-not-applied' instead of returning 'no-changes'. @default false
   */
  readonly requireParametersApplied?: boolean;
}

export interface RosDeployResult {
  readonly action: 'created' | 'updated' | 'no-changes' | 'cancelled';
  /** Absent only when a first create was cancelled (the empty stack is removed). */
  readonly stackId?: string;
  /** `{OutputKey: OutputValue}` of the stack as deployed; empty when cancelled. */
  readonly outputs: Record<string, string>;
  /** Resource changes the run applied (or would have, when cancelled). */
  readonly changes: readonly RosResourceChange[];
  /** Every ROS API request this run sent, retries included. */
  readonly apiCalls: number;
  /** Final status of an operation started elsewhere that this run waited for first. */
  readonly waitedFor?: string;
  /**
   * Whether the stack now runs with the request's parameter values:
   * - 'applied': this run executed a change set carrying them and the stack reached CREATE/UPDATE_COMPLETE;
   * - 'unchanged': ROS reported no changes and every parameter is visible to it, so they were already in place;
   * - 'unverified': ROS reported no changes, but some values are NoEcho (masked), so nothing proves they are in place;
   * - 'not-applied': cancelled.
   */
  readonly parameters: RosParametersOutcome;
}

export type RosParametersOutcome = 'applied' | 'unchanged' | 'unverified' | 'not-applied';

export interface RosPreviewResult {
  /** False when the stack is not deployed (or only a failed/empty create is left): everything is an Add. */
  readonly stackExists: boolean;
  readonly stackStatus?: string;
  readonly preview: RosChangePreview;
  /** Resource changes, or a template-only change (outputs, metadata). */
  readonly hasChanges: boolean;
  /** Something would be removed or replaced. */
  readonly destructive: boolean;
  readonly apiCalls: number;
}

export interface RosDestroyResult {
  readonly action: 'deleted' | 'not-found';
  readonly stackId?: string;
  readonly apiCalls: number;
}

export interface RosStackOutputs {
  readonly stackId: string;
  readonly status: string;
  readonly outputs: Record<string, string>;
  /** The parameter values the stack runs with (NoEcho ones masked). */
  readonly parameters: Record<string, string>;
}

/** What the stage commands need from ROS; `RosDeployment` is the real one, a test can put its own in. */
export interface RosStackDeployment {
  deploy(request: RosDeployRequest): Promise<RosDeployResult>;
  preview(request: RosStackRequest): Promise<RosPreviewResult>;
  destroy(request: { readonly stackName: string }): Promise<RosDestroyResult>;
  outputs(stackName: string): Promise<RosStackOutputs | undefined>;
}

/**
 * The Alibaba ROS side of deploy, diff and destroy, through the official SDK. Deploys go through a change set:
 * create or update, preview, confirm, execute, stream events, outputs. Safe to re-run after an interruption:
 * change set names are derived from the content, so a re-run picks up the change set an earlier run left instead
 * of duplicating it, and retried writes carry a ClientToken.
 */
export class RosDeployment implements RosStackDeployment {
  private readonly poll: PollSettings;

  constructor(private readonly options: RosDeploymentOptions) {
    this.poll = {
      pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs ?? 5_000),
      maxPollIntervalMs: positive('maxPollIntervalMs', options.maxPollIntervalMs ?? 30_000),
      maxWaitMs: positive('maxWaitMs', options.maxWaitMs ?? 3_600_000),
      clock: options.clock ?? systemClock,
    };
    if (options.overallTimeoutMs !== undefined) {
      positive('overallTimeoutMs', options.overallTimeoutMs);
      this.deadline = this.poll.clock.now() + options.overallTimeoutMs;
    }
  }

  /** Clock time after which nothing more is waited for; undefined without an overall timeout. */
  private readonly deadline?: number;

  async deploy(request: RosDeployRequest): Promise<RosDeployResult> {
    const { facts, run } = this.checkedRun(request);
    const prefix = request.changeSetNamePrefix ?? 'deploy';
    const runNonce = randomUUID();
    const identityFor = (type: ChangeSetType, base: string) =>
      changeSetIdentity({
        prefix,
        stackName: request.stackName,
        type,
        templateBody: request.templateBody,
        parameters: request.parameters,
        replacementOption: type === 'UPDATE' ? 'Enabled' : '',
        base,
        runNonce,
      });

    const prepared = await run.prepareForDeploy(await run.api.findStackByName(request.stackName), {
      createChangeSetName: identityFor('CREATE', 'new').changeSetName,
      waitForInProgressMs: this.options.waitForInProgressMs ?? this.poll.maxWaitMs,
      recreateFailedStack: this.options.recreateFailedStack ?? false,
    });
    const hasSecrets = run.secretKeys.size > 0;
    const result = (outcome: Omit<RosDeployResult, 'apiCalls' | 'waitedFor' | 'parameters'>): RosDeployResult => ({
      ...outcome,
      apiCalls: run.api.apiCalls,
      waitedFor: prepared.waitedFor,
      parameters:
        outcome.action === 'created' || outcome.action === 'updated'
          ? 'applied'
          : outcome.action === 'cancelled'
            ? 'not-applied'
            : hasSecrets
              ? 'unverified'
              : 'unchanged',
    });
    const noChanges = async () => {
      if (request.requireParametersApplied) throw run.parametersNotApplied();
      return result(await run.noChanges(prepared.stack));
    };
    const reusing = prepared.reuseChangeSetId !== undefined;
    const type: ChangeSetType = prepared.stack && !reusing ? 'UPDATE' : 'CREATE';
    const identity = identityFor(type, type === 'CREATE' ? 'new' : baseOf(prepared.stack));

    let changeSetId: string;
    let stackId: string;
    let readiness: ChangeSetReadiness;
    if (prepared.reuseChangeSetId) {
      changeSetId = prepared.reuseChangeSetId;
      stackId = prepared.stack!.stackId;
      readiness = await waitForChangeSet(run.api, changeSetId, this.poll);
    } else {
      const obtained = await obtainChangeSet(
        run.api,
        {
          changeSetName: identity.changeSetName,
          changeSetType: type,
          stackId: prepared.stack?.stackId,
          templateBody: request.templateBody,
          parameters: request.parameters,
          clientToken: identity.clientToken,
          replacementOption: type === 'UPDATE' ? 'Enabled' : undefined,
          timeoutInMinutes: request.timeoutInMinutes,
          tags: request.tags,
        },
        this.poll,
      );
      if (obtained.kind === 'no-changes') return noChanges();
      ({ changeSetId, stackId, readiness } = obtained);
      run.info(
        `ROS stack '${request.stackName}': ${obtained.reused ? 'reusing' : 'created'} ${type} change set ${readiness.changeSet.changeSetName ?? identity.changeSetName}`,
      );
    }
    const changeSet = await run.readyChangeSet(readiness, type, stackId);
    if (!changeSet) return noChanges();

    const changes = normalizeChanges(changeSet.changes);
    const templateOnly = changes.length === 0 && type === 'UPDATE';
    if (templateOnly && isSameTemplate((await run.api.getTemplateBody(stackId)) ?? '', request.templateBody)) {
      if (!request.requireParametersApplied) {
        await run.discardChangeSet(changeSetId, 'UPDATE', stackId);
        return noChanges();
      }
      // ROS lists no change, yet the NoEcho values may differ (ROS masks them): executing the change set is what
      // puts the request's values on the stack for sure.
      run.info(
        `ROS stack '${request.stackName}': no resource changes listed; executing anyway so the stack takes the new parameter values (ROS does not show NoEcho values)`,
      );
    }
    const legacy = legacyOriginReplacement(changes);
    if (legacy) {
      await run.discardChangeSet(changeSetId, type, stackId);
      throw new RosDeployError(legacyOriginMessage(request.stackName, legacy), 'legacy-origin-servers', request.stackName);
    }
    const preview = buildPreview({ stackName: request.stackName, changeSetType: type, changeSetId, changes, templateOnly });
    // Shown here, once, whether or not anyone is asked: with --yes the preview is the record of what was executed.
    run.info(preview.text);
    let confirmed: boolean;
    try {
      confirmed = await request.confirm(preview);
    } catch (error) {
      // A refusal by error (no terminal to ask on, Ctrl-C at the prompt) leaves nothing behind either.
      await run.discardChangeSet(changeSetId, type, stackId);
      run.info(`ROS stack '${request.stackName}': not confirmed, change set deleted${type === 'CREATE' ? ' with its empty stack' : ''}`);
      throw error;
    }
    if (!confirmed) {
      await run.discardChangeSet(changeSetId, type, stackId);
      run.info(`ROS stack '${request.stackName}': cancelled, change set deleted`);
      return result({ action: 'cancelled', stackId: type === 'UPDATE' ? stackId : undefined, outputs: {}, changes });
    }
    const total = type === 'CREATE' ? Math.max(facts.resources.length, changes.length) : changes.length;
    const outputs = await run.execute(changeSet, type, stackId, total, type === 'CREATE' ? undefined : prepared.stack);
    return result({ action: type === 'CREATE' ? 'created' : 'updated', stackId, outputs, changes });
  }

  /**
   * For `diff`: what a deploy would change. Creates an UPDATE change set, reads it and deletes it; never executes.
   * A stack that does not exist yet is not touched at all (a CREATE change set would leave a REVIEW stack behind).
   */
  async preview(request: RosStackRequest): Promise<RosPreviewResult> {
    const { facts, run } = this.checkedRun(request);
    const stack = await run.api.findStackByName(request.stackName);
    const done = (found: Omit<RosChangePreview, 'text' | 'stackName'>, exists: boolean): RosPreviewResult => {
      const preview = buildPreview({ stackName: request.stackName, ...found });
      return {
        stackExists: exists,
        stackStatus: stack?.status,
        preview,
        apiCalls: run.api.apiCalls,
        hasChanges: preview.changes.length > 0 || preview.templateOnly,
        destructive: isDestructive(preview.changes),
      };
    };

    if (!stack || stack.status === REVIEW_IN_PROGRESS || isFailedCreate(stack.status)) {
      return done({ changeSetType: 'CREATE', changes: changesForNewStack(facts), templateOnly: false }, false);
    }
    if (isOperationInProgress(stack.status)) {
      throw new RosDeployError(
        `ROS stack '${request.stackName}' is ${stack.status}; run diff again when that operation has finished.`,
        'stack-busy',
        request.stackName,
        stack.status,
      );
    }
    if (!isUpdatable(stack.status)) {
      throw new RosDeployError(
        `ROS stack '${request.stackName}' is ${stack.status}; no change set can be computed. ${nextStepFor(stack.status, this.options.hints)}`,
        'stack-not-updatable',
        request.stackName,
        stack.status,
      );
    }
    const identity = changeSetIdentity({
      prefix: request.changeSetNamePrefix ?? 'diff',
      stackName: request.stackName,
      type: 'UPDATE',
      templateBody: request.templateBody,
      parameters: request.parameters,
      replacementOption: 'Enabled',
      base: baseOf(stack),
      runNonce: randomUUID(),
    });
    const created = await createChangeSet(run.api, {
      changeSetName: identity.changeSetName,
      changeSetType: 'UPDATE',
      stackId: stack.stackId,
      templateBody: request.templateBody,
      parameters: request.parameters,
      clientToken: identity.clientToken,
      replacementOption: 'Enabled',
    });
    if (created.kind === 'no-changes') return done({ changeSetType: 'UPDATE', changes: [], templateOnly: false }, true);
    try {
      const ready = await waitForChangeSet(run.api, created.changeSetId, this.poll);
      if (ready.kind === 'no-changes') return done({ changeSetType: 'UPDATE', changes: [], templateOnly: false }, true);
      if (ready.kind !== 'ready') {
        const reason = ready.changeSet.statusReason ? `: ${run.redactor.redact(ready.changeSet.statusReason)}` : '';
        throw new RosDeployError(
          `ROS stack '${request.stackName}': could not compute the changes (change set ${ready.changeSet.status}${reason})`,
          'change-set-failed',
          request.stackName,
          stack.status,
        );
      }
      const changes = normalizeChanges(ready.changeSet.changes);
      const templateOnly =
        changes.length === 0 && !isSameTemplate((await run.api.getTemplateBody(stack.stackId)) ?? '', request.templateBody);
      return done({ changeSetType: 'UPDATE', changeSetId: created.changeSetId, changes, templateOnly }, true);
    } finally {
      await run.api
        .deleteChangeSet(created.changeSetId)
        .catch((error: Error) =>
          run.info(`ROS stack '${request.stackName}': could not delete preview change set ${identity.changeSetName}: ${error.message}`),
        );
    }
  }

  /** Deletes the stack by name, streaming events, and waits for the end. A missing stack is a no-op. */
  async destroy(request: { readonly stackName: string }): Promise<RosDestroyResult> {
    const { stackName } = request;
    const run = this.open(stackName);
    let stack = await run.api.findStackByName(stackName);
    if (!stack) {
      run.info(`ROS stack '${stackName}' does not exist; nothing to delete`);
      return { action: 'not-found', apiCalls: run.api.apiCalls };
    }
    const stackId = stack.stackId;
    if (stack.status === 'DELETE_IN_PROGRESS') {
      run.info(`ROS stack '${stackName}' is already being deleted; waiting for it`);
      await run.deleteAndWait(stack, { alreadyDeleting: true });
      return { action: 'deleted', stackId, apiCalls: run.api.apiCalls };
    }
    if (isOperationInProgress(stack.status)) {
      stack = await run.waitOutOtherOperation(stack, this.poll.maxWaitMs);
      if (!stack) return { action: 'deleted', stackId, apiCalls: run.api.apiCalls };
    }
    run.info(`ROS stack '${stackName}': deleting`);
    await run.deleteAndWait(stack);
    run.info(`ROS stack '${stackName}': DELETE_COMPLETE`);
    return { action: 'deleted', stackId, apiCalls: run.api.apiCalls };
  }

  /** Every live stack of the region, all pages (the stage inventory looks for stacks no configured site owns). */
  async listStacks(): Promise<Array<{ stackName: string; status: string }>> {
    const api = this.open('stack-inventory').api;
    const stacks: Array<{ stackName: string; status: string }> = [];
    const pageSize = 50;
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await api.listStacksPage(pageNumber, pageSize);
      stacks.push(...page.stacks.map(({ stackName, status }) => ({ stackName, status })));
      if (page.stacks.length < pageSize || pageNumber * pageSize >= page.totalCount) return stacks;
    }
  }

  /** Outputs of the stack with this name, or undefined when there is no such stack. */
  async outputs(stackName: string): Promise<RosStackOutputs | undefined> {
    const run = this.open(stackName);
    const found = await run.api.findStackByName(stackName);
    if (!found) return undefined;
    const stack = await run.api.getStack(found.stackId, true);
    return stack ? { stackId: stack.stackId, status: stack.status, outputs: stack.outputs, parameters: stack.parameters } : undefined;
  }

  /** Checks the inputs against ROS's limits before any call, and opens a run that masks the NoEcho values. */
  private checkedRun(request: RosStackRequest): { facts: RosTemplateFacts; run: StackRun } {
    const facts = readTemplateFacts(request.templateBody);
    const noEchoKeys = new Set([
      ...(request.noEchoParameterKeys ?? []),
      ...facts.parameters.filter((parameter) => parameter.noEcho).map((parameter) => parameter.key),
    ]);
    assertRosDeployInputs({ ...request, noEchoKeys }, facts);
    const secrets = [...noEchoKeys].map((key) => request.parameters[key]).filter((value): value is string => typeof value === 'string');
    const run = this.open(request.stackName, secrets);
    for (const key of noEchoKeys) run.secretKeys.add(key);
    return { facts, run };
  }

  private open(stackName: string, secrets: Iterable<string> = []): StackRun {
    assertStackName(stackName);
    return new StackRun(stackName, new SecretRedactor(secrets), this.options, this.pollWithin());
  }

  /** The poll settings, each wait cut to what is left of the overall timeout. */
  private pollWithin(): PollSettings {
    const deadline = this.deadline;
    if (deadline === undefined) return this.poll;
    const { clock } = this.poll;
    const timeoutMs = this.options.overallTimeoutMs!;
    const left = deadline - clock.now();
    if (left <= 0) {
      throw new RosDeployError(
        `The overall timeout (--timeout ${Math.round(timeoutMs / 1000)}s) ran out before the ROS step began; nothing was changed in ROS.`,
        'timed-out',
        '',
      );
    }
    return { ...this.poll, overallTimeoutMs: timeoutMs, deadline };
  }
}

function baseOf(stack: RosStackSummary | undefined): string {
  return stack?.updateTime ?? stack?.createTime ?? '';
}

function positive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${field} must be a positive number of milliseconds, got ${value}`);
  return value;
}

interface PreparedStack {
  /** The stack to update, or undefined to create it. */
  readonly stack?: RosStackSummary;
  /** A CREATE change set an interrupted earlier run left behind, to go on with. */
  readonly reuseChangeSetId?: string;
  /** Final status of another operation this run waited for. */
  readonly waitedFor?: string;
}

interface PrepareOptions {
  /** Name of the CREATE change set this run would make; a REVIEW_IN_PROGRESS stack holding it is resumed. */
  readonly createChangeSetName: string;
  readonly waitForInProgressMs: number;
  readonly recreateFailedStack: boolean;
}

const RESUMABLE_CHANGE_SET = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);

/** One operation on one stack: its API (counting calls), its secrets to mask, and the steps deploy and destroy share. */
class StackRun {
  readonly api: RosApi;
  /** Parameters whose values ROS masks (NoEcho in the template, or declared secret by the caller). */
  readonly secretKeys = new Set<string>();

  constructor(
    readonly stackName: string,
    readonly redactor: SecretRedactor,
    private readonly options: RosDeploymentOptions,
    private readonly poll: PollSettings,
  ) {
    this.api = new RosApi(options.client, {
      regionId: options.regionId,
      stackName,
      redactor,
      retry: options.retry,
      clock: poll.clock,
      random: options.random,
      log: (line) => this.info(line),
    });
  }

  info(line: string): void {
    this.options.progress?.info(this.redactor.redact(line));
  }

  eventsUnreadable(error: unknown): void {
    this.info(`ROS stack '${this.stackName}': could not read stack events this time (${(error as Error).message}); still waiting`);
  }

  private eventStream(stackId: string, totalResources: number, since?: string): RosEventStream {
    return new RosEventStream(this.api, stackId, {
      stackName: this.stackName,
      totalResources,
      since,
      redactor: this.redactor,
      progress: this.options.progress,
    });
  }

  /** Brings whatever stack carries the name into a state a change set can start from, or explains why not. */
  async prepareForDeploy(found: RosStackSummary | undefined, prepare: PrepareOptions): Promise<PreparedStack> {
    let stack = found;
    let waitedFor: string | undefined;
    // Each round ends the current state or returns; three rounds cover wait -> delete failed -> create.
    for (let round = 0; round < 3; round++) {
      if (!stack) return { waitedFor };
      if (isOperationInProgress(stack.status)) {
        stack = await this.waitOutOtherOperation(stack, prepare.waitForInProgressMs);
        waitedFor = stack?.status ?? 'DELETE_COMPLETE';
        continue;
      }
      if (stack.status === REVIEW_IN_PROGRESS) {
        const changeSets = await this.api.listChangeSets(stack.stackId);
        if (changeSets.some((changeSet) => changeSet.executionStatus === 'EXECUTE_IN_PROGRESS')) {
          // Executed (by an earlier run, or another deploy) but not begun yet: ExecuteChangeSet only "starts" the
          // create, so the stack can still read REVIEW_IN_PROGRESS for a while. Wait for that create.
          const review = stack;
          stack = await this.waitOutOtherOperation(stack, prepare.waitForInProgressMs, async (now) => now.status !== review.status);
          waitedFor = stack?.status ?? 'DELETE_COMPLETE';
          continue;
        }
        const mine = changeSets.find(
          (changeSet) =>
            changeSet.changeSetName === prepare.createChangeSetName &&
            RESUMABLE_CHANGE_SET.has(changeSet.status) &&
            (changeSet.executionStatus === undefined ||
              changeSet.executionStatus === 'AVAILABLE' ||
              changeSet.executionStatus === 'UNAVAILABLE'),
        );
        if (mine) {
          this.info(
            `ROS stack '${this.stackName}' is ${REVIEW_IN_PROGRESS} with change set ${mine.changeSetName} from an earlier run; going on with it`,
          );
          return { stack, reuseChangeSetId: mine.changeSetId, waitedFor };
        }
        this.info(
          `ROS stack '${this.stackName}' is ${REVIEW_IN_PROGRESS} (a create that was never executed, with other content); deleting the empty stack first`,
        );
        await this.deleteAndWait(stack);
        stack = undefined;
        continue;
      }
      if (isFailedCreate(stack.status)) {
        if (!prepare.recreateFailedStack) {
          throw new RosDeployError(
            `ROS stack '${this.stackName}' is ${stack.status}${stack.statusReason ? ` (${this.redactor.redact(stack.statusReason)})` : ''}. ${nextStepFor(stack.status, this.options.hints)}`,
            'stack-not-updatable',
            this.stackName,
            stack.status,
          );
        }
        this.info(`ROS stack '${this.stackName}' is ${stack.status}; deleting it before creating it again`);
        await this.deleteAndWait(stack);
        stack = undefined;
        continue;
      }
      if (isUpdatable(stack.status)) {
        if (isDegradedAfterUpdate(stack.status)) {
          this.info(`ROS stack '${this.stackName}' is ${stack.status}: its last update did not apply; this deploy updates it again`);
        }
        return { stack, waitedFor };
      }
      throw new RosDeployError(
        `ROS stack '${this.stackName}' is ${stack.status}, from which no change set can be created. ${nextStepFor(stack.status, this.options.hints)}`,
        'stack-not-updatable',
        this.stackName,
        stack.status,
      );
    }
    throw new RosDeployError(
      `ROS stack '${this.stackName}' kept changing state while this deploy prepared it (last: ${stack?.status}); run the command again`,
      'stack-busy',
      this.stackName,
      stack?.status,
    );
  }

  /**
   * Waits (bounded) for an operation this run did not start: another deploy, or an earlier run that was interrupted
   * after it executed a change set. Returns the stack as it ended, or undefined once it is gone.
   */
  async waitOutOtherOperation(
    stack: RosStackSummary,
    maxWaitMs: number,
    started?: (stack: RosStackSummary) => Promise<boolean>,
  ): Promise<RosStackSummary | undefined> {
    const busy = (waited: string) =>
      new RosDeployError(
        `ROS stack '${this.stackName}' is ${stack.status}: another operation is running on it (another deploy, or an earlier run that was interrupted)${waited}. ` +
          'Run the command again when it has finished; to stop it, cancel the operation in the ROS console.',
        'stack-busy',
        this.stackName,
        stack.status,
      );
    if (maxWaitMs <= 0) throw busy('');
    this.info(
      `ROS stack '${this.stackName}' is ${stack.status}; waiting up to ${Math.round(maxWaitMs / 1000)}s for that operation to finish`,
    );
    const stream = this.eventStream(stack.stackId, 0);
    await stream.prime();
    const waited = await waitForStackToSettle(
      this.api,
      stack.stackId,
      stream,
      { ...this.poll, maxWaitMs },
      { started, onEventsError: (error) => this.eventsUnreadable(error) },
    );
    if (waited.timedOut) throw busy(`; waited ${Math.round(waited.waitedMs / 1000)}s${deadlineNote(this.poll)}`);
    this.info(`ROS stack '${this.stackName}': the running operation ended in ${waited.stack?.status ?? 'DELETE_COMPLETE'}`);
    return waited.stack && waited.stack.status !== 'DELETE_COMPLETE' ? waited.stack : undefined;
  }

  /**
   * Deletes a stack and waits until ROS reports DELETE_COMPLETE or no longer knows it. With `alreadyDeleting`, only
   * waits (a delete started by someone else, or by an earlier interrupted run).
   */
  async deleteAndWait(stack: RosStackSummary, how: { alreadyDeleting?: boolean } = {}): Promise<void> {
    const reviewOnly = stack.status === REVIEW_IN_PROGRESS;
    const total = reviewOnly ? 0 : await this.api.listStackResourceCount(stack.stackId);
    const stream = this.eventStream(stack.stackId, total);
    if (!reviewOnly) await stream.prime();
    if (!how.alreadyDeleting) await this.api.deleteStack(stack.stackId);
    const {
      stack: last,
      timedOut,
      waitedMs,
    } = await waitForStackToSettle(this.api, stack.stackId, reviewOnly ? undefined : stream, this.poll, {
      onEventsError: (error) => this.eventsUnreadable(error),
    });
    if (timedOut) {
      throw new RosDeployError(
        `ROS stack '${this.stackName}' is still ${last?.status ?? 'deleting'} after waiting ${Math.round(waitedMs / 1000)}s${deadlineNote(this.poll)}; the delete goes on in ROS. Run the command again to keep waiting, or check the stack in the ROS console.`,
        'timed-out',
        this.stackName,
        last?.status,
      );
    }
    if (!last || last.status === 'DELETE_COMPLETE') return;
    throw operationFailedError({
      stackName: this.stackName,
      verb: 'delete',
      status: last.status,
      statusReason: last.statusReason && this.redactor.redact(last.statusReason),
      failures: stream.failures,
      hints: this.options.hints,
    });
  }

  parametersNotApplied(): RosDeployError {
    return new RosDeployError(
      `ROS stack '${this.stackName}': ROS reported no changes, but this run has to put new parameter values on the stack ` +
        `(${[...this.secretKeys].join(', ') || 'parameters'}; ROS masks NoEcho values, so it may not see them change). ` +
        'The stack still runs with its previous values: do not retire anything they replace. Check the stack in the ROS console.',
      'parameters-not-applied',
      this.stackName,
    );
  }

  async noChanges(stack: RosStackSummary | undefined): Promise<Omit<RosDeployResult, 'apiCalls' | 'parameters'>> {
    if (!stack) {
      throw new RosDeployError(
        `ROS stack '${this.stackName}': ROS reported nothing to create for the new stack; check that the template declares resources.`,
        'change-set-failed',
        this.stackName,
      );
    }
    this.info(`ROS stack '${this.stackName}': no changes`);
    const detail = await this.api.getStack(stack.stackId, true);
    return { action: 'no-changes', stackId: stack.stackId, outputs: detail?.outputs ?? {}, changes: [] };
  }

  /** The computed change set, or undefined when ROS says there is nothing to change. Throws when it failed. */
  async readyChangeSet(ready: ChangeSetReadiness, type: ChangeSetType, stackId: string): Promise<RosChangeSetDetail | undefined> {
    if (ready.kind === 'ready') return ready.changeSet;
    await this.discardChangeSet(ready.changeSet.changeSetId, type, stackId);
    if (ready.kind === 'no-changes') return undefined;
    const why =
      ready.kind === 'timed-out'
        ? `ROS did not finish computing it within ${Math.round(ready.waitedMs / 1000)}s (status ${ready.changeSet.status})`
        : `status ${ready.changeSet.status}${ready.changeSet.statusReason ? `: ${this.redactor.redact(ready.changeSet.statusReason)}` : ''}`;
    throw new RosDeployError(
      `ROS stack '${this.stackName}': the ${type} change set failed, ${why}. Nothing was changed; fix the template or parameters and deploy again.`,
      'change-set-failed',
      this.stackName,
    );
  }

  /** Removes an unexecuted change set, and for CREATE the empty REVIEW_IN_PROGRESS stack it made. Best effort. */
  async discardChangeSet(changeSetId: string, type: ChangeSetType, stackId: string): Promise<void> {
    try {
      await this.api.deleteChangeSet(changeSetId);
      if (type === 'CREATE') await this.api.deleteStack(stackId);
    } catch (error) {
      this.info(`ROS stack '${this.stackName}': could not clean up change set ${changeSetId}: ${(error as Error).message}`);
    }
  }

  /**
   * Executes the change set and waits for *this* operation. ExecuteChangeSet only "starts" it (ROS API reference),
   * so the status read next can still be the one from before: a REVIEW_IN_PROGRESS, or the UPDATE_COMPLETE of the
   * last update. The wait ends only once the stack shows the operation (status or update time moved on, or the
   * change set's execution ended), never on a status that was already there.
   */
  async execute(
    changeSet: RosChangeSetDetail,
    type: ChangeSetType,
    stackId: string,
    total: number,
    before?: RosStackSummary,
  ): Promise<Record<string, string>> {
    await this.executeOnce(changeSet.changeSetId);
    this.info(`ROS stack '${this.stackName}': executing change set`);
    const stream = this.eventStream(stackId, total, changeSet.createTime);
    const startedFrom = { status: before?.status ?? REVIEW_IN_PROGRESS, updateTime: before?.updateTime };
    const started = async (now: RosStackSummary) => {
      if (now.status !== startedFrom.status || now.updateTime !== startedFrom.updateTime) return true;
      const execution = await this.api.getChangeSet(changeSet.changeSetId).catch(() => undefined);
      return execution?.executionStatus === 'EXECUTE_COMPLETE' || execution?.executionStatus === 'EXECUTE_FAILED';
    };
    const { stack, timedOut, waitedMs } = await waitForStackToSettle(this.api, stackId, stream, this.poll, {
      started,
      onEventsError: (error) => this.eventsUnreadable(error),
    });
    if (timedOut) {
      throw new RosDeployError(
        `ROS stack '${this.stackName}' is still ${stack?.status} after waiting ${Math.round(waitedMs / 1000)}s${deadlineNote(this.poll)}; the operation goes on in ROS. ` +
          'Run deploy again to keep waiting and finish, or follow the stack in the ROS console.',
        'timed-out',
        this.stackName,
        stack?.status,
      );
    }
    const operation = type === 'CREATE' ? 'CREATE' : 'UPDATE';
    if (stack?.status === successStatusFor(operation)) {
      this.info(`ROS stack '${this.stackName}': ${stack.status}`);
      return stack.outputs;
    }
    throw operationFailedError({
      stackName: this.stackName,
      verb: operation.toLowerCase(),
      status: stack?.status ?? 'DELETE_COMPLETE',
      statusReason: stack?.statusReason && this.redactor.redact(stack.statusReason),
      failures: stream.failures,
      hints: this.options.hints,
    });
  }

  /** A reset or timeout can hide an execute that went through; ask ROS before calling it a failure. */
  private async executeOnce(changeSetId: string): Promise<void> {
    try {
      await this.api.executeChangeSet(changeSetId, executeClientToken(changeSetId));
    } catch (error) {
      const changeSet = await this.api.getChangeSet(changeSetId).catch(() => undefined);
      if (changeSet?.executionStatus === 'EXECUTE_IN_PROGRESS' || changeSet?.executionStatus === 'EXECUTE_COMPLETE') return;
      throw error;
    }
  }
}

/**
 * A CDN domain deployed with `OriginServers` (templates before origins moved to `Sources`): ROS documents
 * OriginServers as not editable (ROS resource reference "ALIYUN::CDN::Domain", alibabacloud.com/help/doc-detail/
 * 112421.htm), so removing it, or a new origin in it, replaces the domain: deleted and added again, Alibaba reviews a
 * non-Alibaba origin again (until the end of the next business day) and the domain serves nothing meanwhile. The
 * deploy stops before executing such a change instead of doing it behind a "yes".
 */
function legacyOriginReplacement(changes: readonly RosResourceChange[]): RosResourceChange | undefined {
  return changes.find(
    (change) =>
      change.resourceType === 'ALIYUN::CDN::Domain' && change.replacement === 'True' && change.properties.includes('OriginServers'),
  );
}

function legacyOriginMessage(stackName: string, change: RosResourceChange): string {
  return [
    `ROS stack '${stackName}': this deploy would REPLACE the CDN domain ${change.logicalId} (changed: ${change.properties.join(', ')}).`,
    'The domain was created with OriginServers, which ROS cannot change in place; this version declares the origin as',
    'Sources (editable). Replacing the domain deletes and re-adds it: Alibaba reviews the origin again (until the end of',
    'the next business day) and the domain serves nothing meanwhile. Nothing was changed; the change set was deleted.',
    'Options: keep deploying this stage with the previous s3-alicdn version until a maintenance window, or accept the',
    'replacement there (destroy the stage and deploy it again). See docs/operations.md, "CDN origin changes".',
  ].join('\n');
}
