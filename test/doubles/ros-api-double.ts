/**
 * TEST DOUBLE: a stateful ROS (Resource Orchestration Service, API 2019-09-10) on top of the RPC server test double.
 * Stacks, change sets, events and outputs behave as the ROS docs describe, the unkind parts included, with scenario
 * knobs for failures. Each documented behaviour names its document beside the code that models it.
 *
 * Decisions where the docs are silent (keep the deployer robust to each alternative):
 * - A change set for a stack whose template and parameters did not change: `noChangeBehaviour` picks between
 *   CREATE_COMPLETE with an empty `Changes` list ('empty', the default), CREATE_FAILED with the reason ROS gives for
 *   a no-op UpdateStack ('failed'), or a synchronous `NotSupported` error from CreateChangeSet ('error').
 * - A change of NoEcho parameter values only: ROS masks NoEcho values ("****") wherever it shows them (GetStack,
 *   GetChangeSet Parameters) and no document says how a change set reports a change that only they cause.
 *   `noEchoOnlyChange` picks: 'empty' (the default, the unkind one: CREATE_COMPLETE with no `Changes`, yet executing
 *   it applies the new values), 'modify' (a Modify with ChangeSource ParameterReference, as for visible parameters)
 *   or 'same-stack' (reported as no change at all, so the values can never be applied through a change set).
 * - ListStackEvents: the API reference promises no order and times have one-second resolution. `eventOrder` picks
 *   newest first (default), oldest first or shuffled; `eventsPerSecond` puts several events in the same second.
 * - ClientToken makes CreateChangeSet / ExecuteChangeSet / CreateStack / UpdateStack idempotent: a repeat with the
 *   same token returns the first answer and does nothing else; a repeat that arrives while the first is still being
 *   processed gets `LastTokenProcessing` (knob `tokenProcessingRepeats`).
 * - The error code for a 21st change set is not documented: `ChangeSetLimitExceeded` stands in for it.
 * - `InvalidChangeSetStatus` (executing or deleting a change set in the wrong state) is a plausible stand-in.
 *
 * Documented (ROS API reference, "Error codes" of CreateChangeSet / ExecuteChangeSet / UpdateStack, and
 * /work/shared/reference/alibaba-cdn-operations.md): `ChangeSetExists`, `ActionInProgress` (HTTP 409),
 * `StackNotFound`, `ChangeSetNotFound`, `LastTokenProcessing`, `Throttling*`, and `NotSupported` "Update the
 * completely same stack" for an update that changes nothing.
 */
import { AlibabaRpcError, type AlibabaRpcServerTestDouble } from './alibaba-rpc-server';
import { canonical, parseTemplate, type ParsedTemplate, withConditionsApplied } from './ros-template-evaluator';
import { RosStackSimulator, type SimChange, type SimStack } from './ros-stack-simulator';

const VERSION = '2019-09-10';

interface SimChangeSet {
  readonly changeSetId: string;
  readonly changeSetName: string;
  readonly type: 'CREATE' | 'UPDATE';
  readonly stackId: string;
  readonly stackName: string;
  status: string;
  executionStatus: string;
  statusReason?: string;
  readonly createTime: string;
  readonly template: ParsedTemplate;
  readonly parameters: Record<string, string>;
  /** What GetChangeSet reports. */
  readonly changes: SimChange[];
  /** What executing it does (differs from `changes` for a NoEcho-only change reported as empty). */
  readonly appliedChanges: SimChange[];
  pollsLeft: number;
  readonly outcome: { status: string; executionStatus: string; statusReason?: string };
  readonly disableRollback: boolean;
  readonly timeoutInMinutes: number;
}

export interface RosApiDoubleOptions {
  readonly regionId?: string;
  readonly accountId?: string;
}

export class RosApiTestDouble {
  /** GetChangeSet calls that still report CREATE_IN_PROGRESS before the change set is ready. */
  changeSetReadyAfterPolls = 1;
  noChangeBehaviour: 'empty' | 'failed' | 'error' = 'empty';
  /** After DELETE_COMPLETE, GetStack answers StackNotFound instead of the deleted stack. */
  forgetDeletedStacks = false;
  /** Operation steps taken per GetStack call; raise it to pile up many events between two polls. */
  stepsPerPoll = 1;
  /** When set, change sets end CREATE_FAILED with this reason (e.g. a template ROS rejects on validation). */
  changeSetFailureReason?: string;
  /**
   * GetStack calls after ExecuteChangeSet that still show the stack as it was: the call only "starts to update" the
   * stack (ROS API reference, ExecuteChangeSet; guide "Execute a change set").
   */
  executeStartsAfterPolls = 1;
  /** How a change set reports a change of NoEcho parameter values only (see the header). */
  noEchoOnlyChange: 'empty' | 'modify' | 'same-stack' = 'empty';
  /** ListStackEvents order: the API reference does not promise one. */
  eventOrder: 'newest-first' | 'oldest-first' | 'shuffled' = 'newest-first';
  /** Readings of the virtual clock per second: event times have one-second resolution, so several can be equal. */
  eventsPerSecond = 1;
  /** Repeats of a ClientToken answered `LastTokenProcessing` ("the last request with this token is being processed"). */
  tokenProcessingRepeats = 0;
  /** "You can associate up to 20 change sets with a stack" (ROS user guide, "Manage a change set" / Limits). */
  maxChangeSetsPerStack = 20;

  private readonly stacks = new Map<string, SimStack>();
  private readonly changeSets = new Map<string, SimChangeSet>();
  private readonly tokens = new Map<string, Record<string, unknown>>();
  private readonly sim: RosStackSimulator;

  /** What the stacks' CDN resources have configured on the CDN; the CDN API double serves it. */
  get cdn(): RosStackSimulator['cdn'] {
    return this.sim.cdn;
  }
  private clockReadings = 0;
  private idCounter = 0;

  constructor(
    server: AlibabaRpcServerTestDouble,
    private readonly opts: RosApiDoubleOptions = {},
  ) {
    this.sim = new RosStackSimulator(() => this.now(), opts.accountId ?? '1234567890123456', opts.regionId ?? 'cn-hangzhou');
    const h = (action: string, fn: (p: Readonly<Record<string, string>>) => Record<string, unknown>) => server.handle(action, fn, VERSION);
    h('ListStacks', (params) => this.listStacks(params));
    h('GetStack', (params) => this.getStack(params));
    h('CreateChangeSet', (params) => this.idempotent('CreateChangeSet', params, () => this.createChangeSet(params)));
    h('GetChangeSet', (params) => this.getChangeSet(params));
    h('ListChangeSets', (params) => this.listChangeSets(params));
    h('DeleteChangeSet', (params) => this.deleteChangeSet(params));
    h('ExecuteChangeSet', (params) => this.idempotent('ExecuteChangeSet', params, () => this.executeChangeSet(params)));
    h('ListStackEvents', (params) => this.listStackEvents(params));
    h('CreateStack', (params) => this.idempotent('CreateStack', params, () => this.createStack(params)));
    h('UpdateStack', (params) => this.idempotent('UpdateStack', params, () => this.updateStack(params)));
    h('DeleteStack', (params) => this.deleteStack(params));
    h('GetTemplate', (params) => this.getTemplate(params));
    h('ListStackResources', (params) => this.listStackResources(params));
  }

  // ---- scenario knobs ----

  /** The next `times` attempts to create/update/delete `logicalId` fail with `reason`. */
  failResource(logicalId: string, reason: string, operation: 'create' | 'update' | 'delete' = 'create', times = 1): void {
    this.sim.failures.push({ logicalId, reason, operation, remaining: times });
  }

  /** Operations on this stack stay `*_IN_PROGRESS` until released. */
  setStuck(stackName: string, stuck: boolean): void {
    if (stuck) this.sim.stuck.add(stackName);
    else this.sim.stuck.delete(stackName);
  }

  /**
   * Puts a stack into any documented status (GetStack reference: CHECK_*, IMPORT_* ... included), as if an
   * operation outside this test (a drift check, a resource import) had left it there.
   */
  forceStatus(stackName: string, status: string): void {
    const stack = this.stackByName(stackName);
    if (!stack) throw new Error(`no stack ${stackName}`);
    if (!STACK_STATUSES.has(status)) throw new Error(`${status} is not a documented ROS stack status`);
    this.sim.setStatus(stack, status, 'set by the test');
  }

  // ---- inspection for assertions ----

  stackByName(name: string): SimStack | undefined {
    return [...this.stacks.values()].find((stack) => stack.stackName === name && stack.status !== 'DELETE_COMPLETE');
  }

  changeSetsOf(stackName: string): ReadonlyArray<{ changeSetName: string; type: string; status: string; executionStatus: string }> {
    return [...this.changeSets.values()]
      .filter((changeSet) => changeSet.stackName === stackName)
      .map(({ changeSetName, type, status, executionStatus }) => ({ changeSetName, type, status, executionStatus }));
  }

  // ---- handlers ----

  private listStacks(params: Readonly<Record<string, string>>) {
    const names = stringList(params, 'StackName');
    const statuses = stringList(params, 'Status');
    const matches = [...this.stacks.values()].filter(
      (stack) =>
        (names.length === 0 || names.includes(stack.stackName)) &&
        (statuses.length > 0 ? statuses.includes(stack.status) : stack.status !== 'DELETE_COMPLETE') &&
        (!params.StackId || params.StackId === stack.stackId),
    );
    const { page, pageNumber, pageSize } = paginate(matches, params, 10, 100);
    return {
      Stacks: page.map((stack) => ({
        StackId: stack.stackId,
        StackName: stack.stackName,
        Status: stack.status,
        StatusReason: stack.statusReason,
        CreateTime: stack.createTime,
        UpdateTime: stack.updateTime,
        RegionId: this.regionId,
        DisableRollback: stack.disableRollback,
        TimeoutInMinutes: stack.timeoutInMinutes,
      })),
      TotalCount: matches.length,
      PageNumber: pageNumber,
      PageSize: pageSize,
    };
  }

  private getStack(params: Readonly<Record<string, string>>) {
    const stack = this.requireStack(params.StackId);
    for (let i = 0; i < this.stepsPerPoll; i++) this.sim.advance(stack);
    const noEcho = noEchoKeys(stack.template);
    return {
      StackId: stack.stackId,
      StackName: stack.stackName,
      Status: stack.status,
      StatusReason: stack.statusReason,
      CreateTime: stack.createTime,
      UpdateTime: stack.updateTime,
      RegionId: this.regionId,
      DisableRollback: stack.disableRollback,
      TimeoutInMinutes: stack.timeoutInMinutes,
      Parameters: [
        ...Object.entries(stack.parameters).map(([k, v]) => ({ ParameterKey: k, ParameterValue: noEcho.has(k) ? '****' : v })),
        { ParameterKey: 'ALIYUN::StackName', ParameterValue: stack.stackName },
        { ParameterKey: 'ALIYUN::Region', ParameterValue: this.regionId },
      ],
      Outputs: params.OutputOption === 'Disabled' ? undefined : this.sim.outputs(stack, noEcho),
    };
  }

  private createChangeSet(request: Readonly<Record<string, string>>) {
    const type = (request.ChangeSetType ?? 'UPDATE') as 'CREATE' | 'UPDATE';
    if (type !== 'CREATE' && type !== 'UPDATE')
      throw new AlibabaRpcError(400, 'InvalidParameter', `ChangeSetType ${request.ChangeSetType} is not supported by this test double.`);
    const name = required(request, 'ChangeSetName');
    const parsed = parseTemplate(required(request, 'TemplateBody'));
    const given = parameterList(request);
    let stack: SimStack;
    if (type === 'CREATE') {
      const stackName = required(request, 'StackName');
      if (this.stackByName(stackName)) throw new AlibabaRpcError(409, 'StackExists', `The Stack (${stackName}) already exists.`);
      stack = this.newStack(stackName, request, 'REVIEW_IN_PROGRESS');
    } else {
      stack = this.requireStack(required(request, 'StackId'));
      if (!UPDATABLE.has(stack.status)) {
        throw new AlibabaRpcError(
          stack.status.endsWith('_IN_PROGRESS') ? 409 : 400,
          stack.status.endsWith('_IN_PROGRESS') ? 'ActionInProgress' : 'StackValidationFailed',
          `Stack (${stack.stackName}) status ${stack.status} does not allow creating a change set.`,
        );
      }
    }
    const ofStack = [...this.changeSets.values()].filter((changeSet) => changeSet.stackId === stack.stackId);
    // ChangeSetExists is a documented CreateChangeSet error (ROS API reference, CreateChangeSet error codes).
    if (ofStack.some((changeSet) => changeSet.changeSetName === name)) {
      throw new AlibabaRpcError(409, 'ChangeSetExists', `The ChangeSet (${name}) already exists.`);
    }
    // "You can associate up to 20 change sets with a stack" (ROS user guide, "Manage a change set", Limits).
    if (ofStack.length >= this.maxChangeSetsPerStack) {
      throw new AlibabaRpcError(
        400,
        'ChangeSetLimitExceeded',
        `The number of change sets of stack (${stack.stackName}) exceeds the limit ${this.maxChangeSetsPerStack}.`,
      );
    }
    const params = effectiveParameters(parsed, given);
    const template = withConditionsApplied(parsed, params);
    const computed = this.sim.computeChanges(type === 'UPDATE' ? stack : undefined, template, params);
    const noEchoOnly = type === 'UPDATE' && this.onlyNoEchoChanged(stack, template, params);
    // 'same-stack': ROS would not see the masked values change, so the change set carries (and applies) the old ones.
    const ignored = noEchoOnly && this.noEchoOnlyChange === 'same-stack';
    const changes = noEchoOnly && this.noEchoOnlyChange !== 'modify' ? [] : computed;
    const appliedChanges = ignored ? [] : computed;
    const applied = ignored ? { ...stack.parameters } : params;
    const outcome = this.changeSetOutcome(stack, type, template, applied, changes, request.ReplacementOption);
    if (outcome === 'error') {
      throw new AlibabaRpcError(400, 'NotSupported', `Update the completely same stack ${stack.stackName} is not supported.`);
    }
    const cs: SimChangeSet = {
      changeSetId: this.newId(),
      changeSetName: name,
      type,
      stackId: stack.stackId,
      stackName: stack.stackName,
      status: 'CREATE_IN_PROGRESS',
      executionStatus: 'UNAVAILABLE',
      createTime: this.now(),
      template,
      parameters: applied,
      changes,
      appliedChanges,
      pollsLeft: this.changeSetReadyAfterPolls,
      outcome,
      disableRollback: request.DisableRollback === 'true',
      timeoutInMinutes: Number(request.TimeoutInMinutes ?? 60),
    };
    this.changeSets.set(cs.changeSetId, cs);
    return { ChangeSetId: cs.changeSetId, StackId: stack.stackId };
  }

  private changeSetOutcome(
    stack: SimStack,
    type: string,
    template: ParsedTemplate,
    params: Record<string, string>,
    changes: SimChange[],
    replacementOption?: string,
  ): SimChangeSet['outcome'] | 'error' {
    if (this.changeSetFailureReason)
      return { status: 'CREATE_FAILED', executionStatus: 'UNAVAILABLE', statusReason: this.changeSetFailureReason };
    const replaced = changes.find((change) => change.ResourceChange.Replacement === 'True');
    if (replaced && replacementOption !== 'Enabled') {
      return {
        status: 'CREATE_FAILED',
        executionStatus: 'UNAVAILABLE',
        statusReason: `Resource ${replaced.ResourceChange.LogicalResourceId} needs replacement to apply the update, but ReplacementOption is not Enabled.`,
      };
    }
    const identical =
      type === 'UPDATE' &&
      changes.length === 0 &&
      stack.template !== undefined &&
      canonical(JSON.parse(stack.template.body)) === canonical(JSON.parse(template.body)) &&
      canonical(stack.parameters) === canonical(params);
    if (identical && this.noChangeBehaviour === 'error') return 'error';
    if (identical && this.noChangeBehaviour === 'failed') {
      return {
        status: 'CREATE_FAILED',
        executionStatus: 'UNAVAILABLE',
        statusReason: `Update the completely same stack ${stack.stackName} is not supported.`,
      };
    }
    return { status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE' };
  }

  /** The new parameters differ from the stack's only in NoEcho values, and nothing else would change. */
  private onlyNoEchoChanged(stack: SimStack, template: ParsedTemplate, params: Record<string, string>): boolean {
    const secret = noEchoKeys(template);
    if (![...secret].some((key) => stack.parameters[key] !== params[key])) return false;
    if (!stack.template || canonical(JSON.parse(stack.template.body)) !== canonical(JSON.parse(template.body))) return false;
    if (Object.keys(params).some((key) => !secret.has(key) && stack.parameters[key] !== params[key])) return false;
    const withOldSecrets = { ...params };
    for (const key of secret) if (key in stack.parameters) withOldSecrets[key] = stack.parameters[key]!;
    return this.sim.computeChanges(stack, template, withOldSecrets).length === 0;
  }

  private getChangeSet(params: Readonly<Record<string, string>>) {
    const cs = this.requireChangeSet(params.ChangeSetId);
    if (cs.status === 'CREATE_IN_PROGRESS') {
      if (cs.pollsLeft > 0) cs.pollsLeft -= 1;
      else Object.assign(cs, cs.outcome);
    }
    const ready = cs.status !== 'CREATE_IN_PROGRESS';
    return {
      ChangeSetId: cs.changeSetId,
      ChangeSetName: cs.changeSetName,
      ChangeSetType: cs.type,
      StackId: cs.stackId,
      StackName: cs.stackName,
      Status: cs.status,
      ExecutionStatus: cs.executionStatus,
      StatusReason: cs.statusReason,
      CreateTime: cs.createTime,
      RegionId: this.regionId,
      DisableRollback: cs.disableRollback,
      TimeoutInMinutes: cs.timeoutInMinutes,
      Parameters: Object.entries(cs.parameters).map(([k, v]) => ({
        ParameterKey: k,
        ParameterValue: noEchoKeys(cs.template).has(k) ? '****' : v,
      })),
      Changes: ready ? cs.changes : [],
      TemplateBody: params.ShowTemplate === 'true' ? cs.template.body : undefined,
    };
  }

  private listChangeSets(params: Readonly<Record<string, string>>) {
    const stack = this.requireStack(required(params, 'StackId'));
    const names = stringList(params, 'ChangeSetName');
    const matches = [...this.changeSets.values()].filter(
      (changeSet) => changeSet.stackId === stack.stackId && (names.length === 0 || names.includes(changeSet.changeSetName)),
    );
    const { page, pageNumber, pageSize } = paginate(matches, params, 10, 50);
    return {
      ChangeSets: page.map((changeSet) => ({
        ChangeSetId: changeSet.changeSetId,
        ChangeSetName: changeSet.changeSetName,
        ChangeSetType: changeSet.type,
        StackId: changeSet.stackId,
        StackName: changeSet.stackName,
        Status: changeSet.status,
        ExecutionStatus: changeSet.executionStatus,
        StatusReason: changeSet.statusReason,
        CreateTime: changeSet.createTime,
        RegionId: this.regionId,
      })),
      TotalCount: matches.length,
      PageNumber: pageNumber,
      PageSize: pageSize,
    };
  }

  private deleteChangeSet(params: Readonly<Record<string, string>>) {
    const cs = this.requireChangeSet(params.ChangeSetId);
    if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw new AlibabaRpcError(
        400,
        'InvalidChangeSetStatus',
        `The ChangeSet (${cs.changeSetName}) is being executed and cannot be deleted.`,
      );
    }
    this.changeSets.delete(cs.changeSetId);
    return {};
  }

  private executeChangeSet(params: Readonly<Record<string, string>>) {
    const cs = this.requireChangeSet(params.ChangeSetId);
    if (cs.status !== 'CREATE_COMPLETE' || cs.executionStatus !== 'AVAILABLE') {
      throw new AlibabaRpcError(
        400,
        'InvalidChangeSetStatus',
        `The ChangeSet (${cs.changeSetName}) cannot be executed: status ${cs.status}, execution status ${cs.executionStatus}.`,
      );
    }
    const stack = this.requireStack(cs.stackId);
    // ActionInProgress, HTTP 409, is documented (ROS API reference, ExecuteChangeSet / UpdateStack error codes).
    if (stack.operation || stack.pendingStart) {
      throw new AlibabaRpcError(409, 'ActionInProgress', `Stack (${stack.stackName}) has an action in progress.`);
    }
    // "After you execute a change set, ROS automatically deletes other change sets for the same stack because they
    // become invalid" (ROS user guide, "Execute a change set", Background).
    for (const [id, other] of this.changeSets) if (other.stackId === cs.stackId && other !== cs) this.changeSets.delete(id);
    cs.executionStatus = 'EXECUTE_IN_PROGRESS';
    stack.disableRollback = cs.disableRollback;
    stack.timeoutInMinutes = cs.timeoutInMinutes;
    const done = (ok: boolean) => {
      cs.executionStatus = ok ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
    };
    // ExecuteChangeSet "starts to update" the stack (ROS API reference): asynchronous, the status changes later.
    const start = () => {
      if (cs.type === 'CREATE') this.sim.startCreate(stack, cs.template, cs.parameters, done);
      else this.sim.startUpdate(stack, cs.template, cs.parameters, cs.appliedChanges, done);
    };
    if (this.executeStartsAfterPolls <= 0) start();
    else stack.pendingStart = { pollsLeft: this.executeStartsAfterPolls, start };
    return {};
  }

  private listStackEvents(params: Readonly<Record<string, string>>) {
    const stack = this.requireStack(params.StackId);
    const ids = stringList(params, 'LogicalResourceId');
    const matching = stack.events.filter((event) => ids.length === 0 || ids.includes(event.LogicalResourceId));
    // No order is promised (ROS API reference, ListStackEvents); PageSize is at most 50.
    const ordered =
      this.eventOrder === 'oldest-first'
        ? matching
        : this.eventOrder === 'shuffled'
          ? shuffled(matching, stack.stackId.length + matching.length)
          : [...matching].reverse();
    const { page, pageNumber, pageSize } = paginate(ordered, params, 10, 50);
    return { Events: page, TotalCount: ordered.length, PageNumber: pageNumber, PageSize: pageSize };
  }

  private createStack(request: Readonly<Record<string, string>>) {
    const stackName = required(request, 'StackName');
    if (this.stackByName(stackName)) throw new AlibabaRpcError(409, 'StackExists', `The Stack (${stackName}) already exists.`);
    const parsed = parseTemplate(required(request, 'TemplateBody'));
    const params = effectiveParameters(parsed, parameterList(request));
    const template = withConditionsApplied(parsed, params);
    const stack = this.newStack(stackName, request, 'CREATE_IN_PROGRESS');
    this.sim.startCreate(stack, template, params, () => undefined);
    return { StackId: stack.stackId };
  }

  private updateStack(request: Readonly<Record<string, string>>) {
    const stack = this.requireStack(required(request, 'StackId'));
    if (stack.operation || stack.pendingStart)
      throw new AlibabaRpcError(409, 'ActionInProgress', `Stack (${stack.stackName}) has an action in progress.`);
    // The same statuses that accept an UPDATE change set accept UpdateStack; a rolled-back create does not.
    if (!UPDATABLE.has(stack.status)) {
      throw new AlibabaRpcError(400, 'StackValidationFailed', `Stack (${stack.stackName}) status ${stack.status} does not allow updating.`);
    }
    const parsed = parseTemplate(required(request, 'TemplateBody'));
    const params = effectiveParameters(parsed, parameterList(request));
    const template = withConditionsApplied(parsed, params);
    const changes = this.sim.computeChanges(stack, template, params);
    const outcome = this.changeSetOutcome(stack, 'UPDATE', template, params, changes, request.ReplacementOption);
    if (
      outcome === 'error' ||
      (changes.length === 0 && canonical(stack.parameters) === canonical(params) && stack.template?.body === template.body)
    ) {
      throw new AlibabaRpcError(400, 'NotSupported', `Update the completely same stack ${stack.stackName} is not supported.`);
    }
    if (outcome.status === 'CREATE_FAILED') throw new AlibabaRpcError(400, 'NotSupported', outcome.statusReason ?? 'update not supported');
    this.sim.startUpdate(stack, template, params, changes, () => undefined);
    return { StackId: stack.stackId };
  }

  private deleteStack(params: Readonly<Record<string, string>>) {
    const stack = this.requireStack(params.StackId);
    if (stack.status === 'DELETE_IN_PROGRESS' || stack.status === 'DELETE_COMPLETE') return {};
    if (stack.operation || stack.pendingStart)
      throw new AlibabaRpcError(409, 'ActionInProgress', `Stack (${stack.stackName}) has an action in progress.`);
    for (const [id, cs] of this.changeSets) if (cs.stackId === stack.stackId) this.changeSets.delete(id);
    this.sim.startDelete(stack, () => {
      if (this.forgetDeletedStacks) this.stacks.delete(stack.stackId);
    });
    return {};
  }

  private getTemplate(params: Readonly<Record<string, string>>) {
    if (params.ChangeSetId) return { TemplateBody: this.requireChangeSet(params.ChangeSetId).template.body };
    const stack = this.requireStack(params.StackId);
    const body =
      stack.template?.body ?? [...this.changeSets.values()].find((changeSet) => changeSet.stackId === stack.stackId)?.template.body;
    return { TemplateBody: body, StackId: stack.stackId };
  }

  private listStackResources(params: Readonly<Record<string, string>>) {
    const stack = this.requireStack(params.StackId);
    return {
      Resources: [...stack.resources.values()].map((resource) => ({
        LogicalResourceId: resource.logicalId,
        PhysicalResourceId: resource.physicalId,
        ResourceType: resource.type,
        Status: resource.status,
        StatusReason: resource.statusReason,
        CreateTime: resource.createTime,
        UpdateTime: resource.updateTime,
        StackId: stack.stackId,
        StackName: stack.stackName,
      })),
    };
  }

  // ---- helpers ----

  private get regionId(): string {
    return this.opts.regionId ?? 'cn-hangzhou';
  }

  private idempotent(
    action: string,
    params: Readonly<Record<string, string>>,
    run: () => Record<string, unknown>,
  ): Record<string, unknown> {
    if (!params.ClientToken) return run();
    const key = `${action}|${params.ClientToken}`;
    const previous = this.tokens.get(key);
    if (previous && this.tokenProcessingRepeats > 0) {
      this.tokenProcessingRepeats -= 1;
      // Documented: the request with this ClientToken is still being processed; retry later.
      throw new AlibabaRpcError(409, 'LastTokenProcessing', 'The last token request is processing.');
    }
    if (previous) return previous;
    const body = run();
    this.tokens.set(key, body);
    return body;
  }

  private newStack(stackName: string, params: Readonly<Record<string, string>>, status: string): SimStack {
    const stack: SimStack = {
      stackId: this.newId(),
      stackName,
      status,
      createTime: this.now(),
      parameters: {},
      resources: new Map(),
      events: [],
      disableRollback: params.DisableRollback === 'true',
      timeoutInMinutes: Number(params.TimeoutInMinutes ?? 60),
    };
    this.stacks.set(stack.stackId, stack);
    return stack;
  }

  private requireStack(stackId: string | undefined): SimStack {
    const stack = stackId ? this.stacks.get(stackId) : undefined;
    if (!stack) throw new AlibabaRpcError(404, 'StackNotFound', `The Stack (${stackId}) could not be found.`);
    return stack;
  }

  private requireChangeSet(id: string | undefined): SimChangeSet {
    const cs = id ? this.changeSets.get(id) : undefined;
    if (!cs) throw new AlibabaRpcError(404, 'ChangeSetNotFound', `The ChangeSet (${id}) could not be found.`);
    return cs;
  }

  private newId(): string {
    this.idCounter += 1;
    return `${this.idCounter.toString(16).padStart(8, '0')}-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
  }

  /** A virtual clock that moves one second per reading, so event times are distinct and ordered. */
  private now(): string {
    this.clockReadings += 1;
    const seconds = Math.ceil(this.clockReadings / Math.max(1, this.eventsPerSecond));
    return new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString().slice(0, 19);
  }
}

/**
 * States that accept an UPDATE change set: "You can create a change set only for a stack that is in one of the
 * following states" (ROS user guide, "Update a stack by using a change set", Limits).
 */
export const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_COMPLETE',
  'ROLLBACK_COMPLETE',
  'ROLLBACK_FAILED',
  'IMPORT_CREATE_COMPLETE',
  'IMPORT_UPDATE_COMPLETE',
  'IMPORT_UPDATE_FAILED',
]);

/** Every stack status the GetStack reference documents. */
export const STACK_STATUSES = new Set([
  ...['CREATE', 'UPDATE', 'DELETE', 'CREATE_ROLLBACK', 'ROLLBACK', 'CHECK', 'IMPORT_CREATE', 'IMPORT_CREATE_ROLLBACK'].flatMap(
    (operation) => [`${operation}_IN_PROGRESS`, `${operation}_COMPLETE`, `${operation}_FAILED`],
  ),
  ...['IMPORT_UPDATE', 'IMPORT_UPDATE_ROLLBACK'].flatMap((operation) => [
    `${operation}_IN_PROGRESS`,
    `${operation}_COMPLETE`,
    `${operation}_FAILED`,
  ]),
  'REVIEW_IN_PROGRESS',
]);

/** A fixed permutation, so a failing test reproduces. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed * 2654435761;
  for (let index = out.length - 1; index > 0; index--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const other = state % (index + 1);
    [out[index], out[other]] = [out[other]!, out[index]!];
  }
  return out;
}

function required(params: Readonly<Record<string, string>>, key: string): string {
  const v = params[key];
  if (v === undefined || v === '')
    throw new AlibabaRpcError(
      400,
      'MissingParameter',
      `The input parameter "${key}" that is mandatory for processing this request is not supplied.`,
    );
  return v;
}

/** `Name.1`, `Name.2`, ... as the SDK flattens string lists. */
function stringList(params: Readonly<Record<string, string>>, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${name}.${i}`] !== undefined; i++) out.push(params[`${name}.${i}`]!);
  return out;
}

function parameterList(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; params[`Parameters.${i}.ParameterKey`] !== undefined; i++) {
    out[params[`Parameters.${i}.ParameterKey`]!] = params[`Parameters.${i}.ParameterValue`] ?? '';
  }
  if (Object.keys(out).length > 200) throw new AlibabaRpcError(400, 'InvalidParameter', 'At most 200 parameters are allowed.');
  return out;
}

function effectiveParameters(template: ParsedTemplate, given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(given)) {
    if (!template.parameters[key]) throw new AlibabaRpcError(400, 'StackValidationFailed', `Unknown parameter: ${key}.`);
  }
  for (const [key, spec] of Object.entries(template.parameters)) {
    const v = given[key] ?? (spec.Default === undefined ? undefined : String(spec.Default));
    if (v === undefined) throw new AlibabaRpcError(400, 'StackValidationFailed', `The Parameter (${key}) was not provided.`);
    if (v.length > 128) throw new AlibabaRpcError(400, 'InvalidParameter', `The value of parameter ${key} is too long.`);
    // AllowedValues: "the value ... must be one of" them, checked when the stack or change set is created (ROS template
    // "Parameters" section).
    if (Array.isArray(spec.AllowedValues) && !spec.AllowedValues.map(String).includes(v)) {
      throw new AlibabaRpcError(400, 'StackValidationFailed', `The value of parameter ${key} is not one of the AllowedValues.`);
    }
    out[key] = v;
  }
  return out;
}

function noEchoKeys(template: ParsedTemplate | undefined): Set<string> {
  return new Set(
    Object.entries(template?.parameters ?? {})
      .filter(([, s]) => s.NoEcho === true || s.NoEcho === 'true')
      .map(([k]) => k),
  );
}

function paginate<T>(items: T[], params: Readonly<Record<string, string>>, defaultSize: number, maxSize: number) {
  const pageNumber = Math.max(1, Number(params.PageNumber ?? 1));
  const pageSize = Number(params.PageSize ?? defaultSize);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxSize) {
    throw new AlibabaRpcError(400, 'InvalidParameter', `PageSize must be between 1 and ${maxSize}.`);
  }
  return { page: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize), pageNumber, pageSize };
}
