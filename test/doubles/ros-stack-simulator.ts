/**
 * TEST DOUBLE support: the stack lifecycle behind the ROS API test double. Operations (create, update, delete,
 * rollbacks) run as generators that advance one step each time the stack is polled with GetStack, emitting events
 * per resource, so a client sees `*_IN_PROGRESS` for a while and then a terminal state.
 */
import { randomUUID } from 'node:crypto';
import {
  asRecord,
  canonical,
  creationOrder,
  evaluate,
  type EvalContext,
  fakeAttribute,
  fakePhysicalId,
  type ParsedTemplate,
  requiresReplacement,
} from './ros-template-evaluator';
import { CdnApiFault, CdnFunctionState, domainConfigProps } from './cdn-function-state';

export interface SimResource {
  readonly logicalId: string;
  readonly type: string;
  physicalId: string;
  props: Record<string, unknown>;
  status: string;
  statusReason?: string;
  generation: number;
  readonly createTime: string;
  updateTime?: string;
  /** A DomainConfig's ConfigIds, as BatchSetCdnDomainConfig returned them; what its delete removes. */
  cdnConfigIds?: string[];
  /** DeletionPolicy Retain: a removal takes it out of the stack without deleting it on the CDN. */
  retain?: boolean;
}

export interface SimEvent {
  readonly EventId: string;
  readonly StackId: string;
  readonly StackName: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId: string;
  readonly ResourceType: string;
  readonly Status: string;
  readonly StatusReason: string;
  readonly CreateTime: string;
}

export interface SimStack {
  readonly stackId: string;
  readonly stackName: string;
  status: string;
  statusReason?: string;
  readonly createTime: string;
  updateTime?: string;
  template?: ParsedTemplate;
  parameters: Record<string, string>;
  resources: Map<string, SimResource>;
  readonly events: SimEvent[];
  disableRollback: boolean;
  timeoutInMinutes: number;
  operation?: Generator<void, void, void>;
  /**
   * An operation accepted but not begun: ExecuteChangeSet "starts to update" the stack (ROS API reference,
   * ExecuteChangeSet), so the status read right after the call can still be the one from before.
   */
  pendingStart?: { pollsLeft: number; readonly start: () => void };
}

/** One `Changes` item, shaped as ROS documents it ("Data structures" of change sets). */
export interface SimChange {
  readonly Type: 'Resource';
  readonly ResourceChange: {
    readonly Action: 'Add' | 'Modify' | 'Remove';
    readonly LogicalResourceId: string;
    readonly PhysicalResourceId?: string;
    readonly ResourceType: string;
    readonly Replacement?: 'True' | 'False';
    readonly Scope?: string[];
    readonly Details?: Array<{
      Target: { Attribute: 'Properties'; Name: string; RequiresRecreation: 'Always' | 'Never' };
      Evaluation: 'Static';
      ChangeSource: 'DirectModification' | 'ParameterReference';
    }>;
  };
}

export interface ResourceFailureKnob {
  readonly logicalId: string;
  readonly reason: string;
  readonly operation: 'create' | 'update' | 'delete';
  remaining: number;
}

const STACK_TYPE = 'ALIYUN::ROS::Stack';
const CDN_DOMAIN = 'ALIYUN::CDN::Domain';
const DOMAIN_CONFIG = 'ALIYUN::CDN::DomainConfig';
const OOS_EXECUTION = 'ALIYUN::OOS::Execution';
const OUTPUT_STATUSES = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'ROLLBACK_COMPLETE', 'UPDATE_FAILED', 'ROLLBACK_FAILED']);

export class RosStackSimulator {
  readonly failures: ResourceFailureKnob[] = [];
  /** Stack names whose running operation never advances. */
  readonly stuck = new Set<string>();
  /** What the CDN resources of every stack have configured on the CDN (read by the CDN API double). */
  readonly cdn = new CdnFunctionState();

  constructor(
    private readonly now: () => string,
    readonly accountId: string,
    readonly regionId: string,
  ) {}

  /** One poll's worth of progress. */
  advance(stack: SimStack): void {
    if (stack.pendingStart) {
      if (stack.pendingStart.pollsLeft > 0) {
        stack.pendingStart.pollsLeft -= 1;
        return;
      }
      const { start } = stack.pendingStart;
      stack.pendingStart = undefined;
      start();
      return;
    }
    if (!stack.operation || this.stuck.has(stack.stackName)) return;
    if (stack.operation.next().done) stack.operation = undefined;
  }

  startCreate(stack: SimStack, template: ParsedTemplate, params: Record<string, string>, onDone: (ok: boolean) => void): void {
    stack.template = template;
    stack.parameters = params;
    this.setStatus(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
    stack.operation = this.create(stack, onDone);
  }

  startUpdate(
    stack: SimStack,
    template: ParsedTemplate,
    params: Record<string, string>,
    changes: readonly SimChange[],
    onDone: (ok: boolean) => void,
  ): void {
    const before = { template: stack.template, parameters: stack.parameters, resources: cloneResources(stack.resources) };
    stack.template = template;
    stack.parameters = params;
    stack.updateTime = this.now();
    this.setStatus(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
    stack.operation = this.update(stack, changes, before, onDone);
  }

  startDelete(stack: SimStack, onDone: () => void): void {
    this.setStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    if (stack.resources.size === 0) {
      this.setStatus(stack, 'DELETE_COMPLETE', 'Stack DELETE completed successfully');
      onDone();
      return;
    }
    stack.operation = this.delete(stack, onDone);
  }

  /** ROS-style change list from the deployed state to `template` with `params`. */
  computeChanges(stack: SimStack | undefined, template: ParsedTemplate, params: Record<string, string>): SimChange[] {
    const next = (value: unknown) => evaluate(value, this.symbolicContext(stack, params));
    const prev = (value: unknown) => evaluate(value, this.symbolicContext(stack, stack?.parameters ?? {}));
    const old = stack?.template?.resources ?? {};
    const changes: SimChange[] = [];
    for (const id of creationOrder(template)) {
      const r = template.resources[id]!;
      const o = old[id];
      if (!o) {
        changes.push({ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: id, ResourceType: r.Type } });
        continue;
      }
      const physical = stack?.resources.get(id)?.physicalId;
      if (o.Type !== r.Type) {
        changes.push(modifyChange(id, physical, r.Type, []));
        continue;
      }
      const oldProps = asRecord(o.Properties);
      const newProps = asRecord(r.Properties);
      const details = [...new Set([...Object.keys(oldProps), ...Object.keys(newProps)])]
        .filter((key) => canonical(prev(oldProps[key])) !== canonical(next(newProps[key])))
        .map((key) => ({
          Target: {
            Attribute: 'Properties' as const,
            Name: key,
            RequiresRecreation: requiresReplacement(r.Type, key) ? ('Always' as const) : ('Never' as const),
          },
          Evaluation: 'Static' as const,
          ChangeSource:
            canonical(oldProps[key]) === canonical(newProps[key]) ? ('ParameterReference' as const) : ('DirectModification' as const),
        }));
      if (details.length === 0) continue;
      changes.push(modifyChange(id, physical, r.Type, details));
    }
    for (const id of Object.keys(old).reverse()) {
      if (!template.resources[id]) {
        changes.push({
          Type: 'Resource',
          ResourceChange: {
            Action: 'Remove',
            LogicalResourceId: id,
            PhysicalResourceId: stack?.resources.get(id)?.physicalId,
            ResourceType: old[id]!.Type,
          },
        });
      }
    }
    return changes;
  }

  outputs(
    stack: SimStack,
    noEcho: ReadonlySet<string>,
  ): Array<{ OutputKey: string; OutputValue: unknown; Description?: string }> | undefined {
    if (!stack.template || !OUTPUT_STATUSES.has(stack.status)) return undefined;
    const ctx = this.liveContext(stack);
    return Object.entries(stack.template.outputs).map(([key, o]) => {
      const raw = asRecord(o.Value);
      const secret = typeof raw.Ref === 'string' && noEcho.has(raw.Ref);
      return { OutputKey: key, OutputValue: secret ? '****' : evaluate(o.Value, ctx), Description: o.Description };
    });
  }

  private *create(stack: SimStack, onDone: (ok: boolean) => void): Generator<void, void, void> {
    const created: string[] = [];
    for (const id of creationOrder(stack.template!)) {
      const ok = yield* this.addResource(stack, id, 'create');
      if (!ok) {
        yield* this.rollBackCreate(stack, created, id);
        onDone(false);
        return;
      }
      created.push(id);
    }
    this.setStatus(stack, 'CREATE_COMPLETE', 'Stack CREATE completed successfully');
    onDone(true);
  }

  private *update(
    stack: SimStack,
    changes: readonly SimChange[],
    before: { template?: ParsedTemplate; parameters: Record<string, string>; resources: Map<string, SimResource> },
    onDone: (ok: boolean) => void,
  ): Generator<void, void, void> {
    for (const { ResourceChange: c } of changes) {
      const ok =
        c.Action === 'Add'
          ? yield* this.addResource(stack, c.LogicalResourceId, 'update')
          : c.Action === 'Modify'
            ? yield* this.modifyResource(stack, c.LogicalResourceId, c.Replacement === 'True')
            : yield* this.removeResource(stack, c.LogicalResourceId);
      if (ok) continue;
      const reason = stack.resources.get(c.LogicalResourceId)?.statusReason ?? 'resource failed';
      if (stack.disableRollback) {
        this.setStatus(stack, 'UPDATE_FAILED', `Resource UPDATE failed: ${reason}`);
        onDone(false);
        return;
      }
      this.setStatus(stack, 'ROLLBACK_IN_PROGRESS', `Resource UPDATE failed: ${reason}`);
      yield;
      stack.template = before.template;
      stack.parameters = before.parameters;
      for (const [id, r] of stack.resources) {
        if (!before.resources.has(id)) this.resourceEvent(stack, r, 'DELETE_COMPLETE', 'rollback');
      }
      stack.resources = before.resources;
      for (const r of stack.resources.values()) this.resourceEvent(stack, r, 'UPDATE_COMPLETE', 'rollback');
      yield;
      this.setStatus(stack, 'ROLLBACK_COMPLETE', `Resource UPDATE failed: ${reason}`);
      onDone(false);
      return;
    }
    this.setStatus(stack, 'UPDATE_COMPLETE', 'Stack UPDATE completed successfully');
    onDone(true);
  }

  private *delete(stack: SimStack, onDone: () => void): Generator<void, void, void> {
    for (const id of [...stack.resources.keys()].reverse()) {
      const ok = yield* this.removeResource(stack, id);
      if (!ok) {
        this.setStatus(stack, 'DELETE_FAILED', `Resource DELETE failed: ${stack.resources.get(id)?.statusReason}`);
        return;
      }
    }
    this.setStatus(stack, 'DELETE_COMPLETE', 'Stack DELETE completed successfully');
    onDone();
  }

  private *addResource(stack: SimStack, id: string, op: 'create' | 'update'): Generator<void, boolean, void> {
    const spec = stack.template!.resources[id]!;
    const props = asRecord(evaluate(spec.Properties ?? {}, this.liveContext(stack)));
    const r: SimResource = {
      logicalId: id,
      type: spec.Type,
      props,
      generation: 0,
      physicalId: '',
      status: 'CREATE_IN_PROGRESS',
      createTime: this.now(),
      retain: spec.DeletionPolicy === 'Retain',
    };
    this.resourceEvent(stack, r, 'CREATE_IN_PROGRESS', 'state changed');
    yield;
    const failure = this.takeFailure(id, op);
    if (failure) {
      stack.resources.set(id, r);
      this.resourceEvent(stack, r, 'CREATE_FAILED', failure);
      return false;
    }
    r.physicalId = fakePhysicalId(spec.Type, id, props, 0);
    try {
      this.applyCdnCreate(r);
    } catch (error) {
      // The CDN refused (DomainOwnerVerifyFail, ServiceBusy): the resource fails with the API's code and message.
      if (!(error instanceof CdnApiFault)) throw error;
      r.physicalId = '';
      stack.resources.set(id, r);
      this.resourceEvent(stack, r, 'CREATE_FAILED', error.message);
      return false;
    }
    stack.resources.set(id, r);
    this.resourceEvent(stack, r, 'CREATE_COMPLETE', 'state changed');
    yield;
    return true;
  }

  private *modifyResource(stack: SimStack, id: string, replace: boolean): Generator<void, boolean, void> {
    const r = stack.resources.get(id)!;
    const spec = stack.template!.resources[id]!;
    this.resourceEvent(
      stack,
      r,
      'UPDATE_IN_PROGRESS',
      replace ? 'Requested update requires the creation of a new physical resource; hence creating one.' : 'state changed',
    );
    yield;
    const failure = this.takeFailure(id, 'update');
    if (failure) {
      this.resourceEvent(stack, r, 'UPDATE_FAILED', failure);
      return false;
    }
    const old = { ...r, props: { ...r.props } };
    r.props = asRecord(evaluate(spec.Properties ?? {}, this.liveContext(stack)));
    if (replace) {
      r.generation += 1;
      r.physicalId = fakePhysicalId(r.type, id, r.props, r.generation);
      if (r.type === DOMAIN_CONFIG) {
        // The two halves of a replacement, in the order the test chose (see CdnFunctionState), a poll apart.
        try {
          if (this.cdn.replacementOrder === 'delete-first') {
            this.applyCdnDelete(old);
            yield;
            this.applyCdnCreate(r);
          } else {
            this.applyCdnCreate(r);
            yield;
            this.applyCdnDelete(old);
          }
        } catch (error) {
          if (!(error instanceof CdnApiFault)) throw error;
          this.resourceEvent(stack, r, 'UPDATE_FAILED', error.message);
          return false;
        }
      }
    }
    r.updateTime = this.now();
    this.resourceEvent(stack, r, 'UPDATE_COMPLETE', 'state changed');
    yield;
    return true;
  }

  private *removeResource(stack: SimStack, id: string): Generator<void, boolean, void> {
    const r = stack.resources.get(id);
    if (!r) return true;
    this.resourceEvent(stack, r, 'DELETE_IN_PROGRESS', 'state changed');
    yield;
    const failure = this.takeFailure(id, 'delete');
    if (failure) {
      this.resourceEvent(stack, r, 'DELETE_FAILED', failure);
      return false;
    }
    if (!r.retain) this.applyCdnDelete(r);
    stack.resources.delete(id);
    this.resourceEvent(stack, r, 'DELETE_COMPLETE', 'state changed');
    yield;
    return true;
  }

  private *rollBackCreate(stack: SimStack, created: readonly string[], failedId: string): Generator<void, void, void> {
    const reason = `Resource CREATE failed: ${failedId}: ${stack.resources.get(failedId)?.statusReason}`;
    if (stack.disableRollback) {
      this.setStatus(stack, 'CREATE_FAILED', reason);
      return;
    }
    this.setStatus(stack, 'CREATE_ROLLBACK_IN_PROGRESS', reason);
    yield;
    for (const id of [...created].reverse()) yield* this.removeResource(stack, id);
    const failed = stack.resources.get(failedId);
    if (failed) {
      stack.resources.delete(failedId);
      this.resourceEvent(stack, failed, 'DELETE_COMPLETE', 'state changed');
    }
    this.setStatus(stack, 'CREATE_ROLLBACK_COMPLETE', reason);
  }

  /** A created CDN domain exists on the CDN; a created DomainConfig has set its functions (BatchSetCdnDomainConfig). */
  private applyCdnCreate(resource: SimResource): void {
    if (resource.type === CDN_DOMAIN && typeof resource.props.DomainName === 'string') this.cdn.addDomain(resource.props.DomainName);
    // An OOS execution calling a CDN API on a domain (the certificate binding's SetCdnDomainSSLCertificate) is a
    // configuration call like any other: refused while the domain is not online.
    const executionParameters = asRecord(resource.props.Parameters);
    if (resource.type === OOS_EXECUTION && typeof executionParameters.DomainName === 'string') {
      this.cdn.assertConfigurable(executionParameters.DomainName);
    }
    if (resource.type !== DOMAIN_CONFIG) return;
    const { domains, functions } = domainConfigProps(resource.props);
    this.cdn.set(domains, functions, resource.physicalId);
    resource.cdnConfigIds = domains.flatMap((domain) => functions.map((fn) => this.cdn.get(domain, fn.functionName)?.configId ?? ''));
  }

  private applyCdnDelete(resource: SimResource): void {
    if (resource.type === CDN_DOMAIN && typeof resource.props.DomainName === 'string') this.cdn.removeDomain(resource.props.DomainName);
    if (resource.type !== DOMAIN_CONFIG) return;
    const { domains, functions } = domainConfigProps(resource.props);
    this.cdn.deleteSetBy(
      domains,
      functions.map((fn) => fn.functionName),
      resource.cdnConfigIds ?? [],
      resource.physicalId,
    );
  }

  private takeFailure(logicalId: string, op: ResourceFailureKnob['operation']): string | undefined {
    const f = this.failures.find((failure) => failure.logicalId === logicalId && failure.operation === op && failure.remaining > 0);
    if (!f) return undefined;
    f.remaining -= 1;
    return f.reason;
  }

  setStatus(stack: SimStack, status: string, reason: string): void {
    stack.status = status;
    stack.statusReason = reason;
    this.pushEvent(stack, stack.stackName, STACK_TYPE, stack.stackId, status, reason);
  }

  private resourceEvent(stack: SimStack, resource: SimResource, status: string, reason: string): void {
    resource.status = status;
    resource.statusReason = reason;
    this.pushEvent(stack, resource.logicalId, resource.type, resource.physicalId, status, reason);
  }

  private pushEvent(stack: SimStack, logicalId: string, type: string, physicalId: string, status: string, reason: string): void {
    stack.events.push({
      EventId: randomUUID(),
      StackId: stack.stackId,
      StackName: stack.stackName,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Status: status,
      StatusReason: reason,
      CreateTime: this.now(),
    });
  }

  private liveContext(stack: SimStack): EvalContext {
    return {
      stackName: stack.stackName,
      stackId: stack.stackId,
      regionId: this.regionId,
      accountId: this.accountId,
      parameters: stack.parameters,
      physicalId: (id) => stack.resources.get(id)?.physicalId || undefined,
      attribute: (id, attr) => {
        const r = stack.resources.get(id);
        return r?.physicalId ? fakeAttribute(r.type, r.props, r.physicalId, attr, this.accountId) : undefined;
      },
    };
  }

  /** Resolves parameters only; references to resources stay symbolic so old and new compare like for like. */
  private symbolicContext(stack: SimStack | undefined, params: Record<string, string>): EvalContext {
    return {
      stackName: stack?.stackName ?? '',
      stackId: stack?.stackId ?? '',
      regionId: this.regionId,
      accountId: this.accountId,
      parameters: params,
      physicalId: () => undefined,
      attribute: () => undefined,
    };
  }
}

/** A Modify change; a type change (no details) always replaces, otherwise any detail that requires recreation does. */
function modifyChange(
  logicalId: string,
  physicalId: string | undefined,
  resourceType: string,
  details: NonNullable<SimChange['ResourceChange']['Details']>,
): SimChange {
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: 'Modify',
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: resourceType,
      Replacement: details.length === 0 || details.some((detail) => detail.Target.RequiresRecreation === 'Always') ? 'True' : 'False',
      Scope: ['Properties'],
      Details: details,
    },
  };
}

function cloneResources(map: Map<string, SimResource>): Map<string, SimResource> {
  return new Map([...map].map(([k, r]) => [k, { ...r, props: { ...r.props } }]));
}
