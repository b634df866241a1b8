import { randomUUID } from 'crypto';
import { RosApi, RosChangeSetDetail, RosStackSummary } from './ros-api';
import {
  changeSetIdentity, ChangeSetReadiness, ChangeSetType, executeClientToken, obtainChangeSet, waitForChangeSet,
} from './ros-change-set';
import { buildPreview, normalizeChanges, RosChangePreview, RosResourceChange } from './ros-change-preview';
import { operationFailedError, RosDeployError } from './ros-deploy-error';
import { RosEventStream } from './ros-event-stream';
import { prepareStackForDeploy } from './ros-existing-stack';
import { assertRosDeployInputs } from './ros-input-limits';
import { openRosSession, RosOperationOptions, RosSession } from './ros-session';
import { waitForStackToSettle } from './ros-stack-waiter';
import { successStatusFor } from './ros-stack-status';
import { isSameTemplate, readTemplateFacts } from './ros-template-facts';

export { previewRosStackChanges } from './ros-stack-preview';
export type { PreviewRosStackOptions, RosStackPreviewResult } from './ros-stack-preview';
export { destroyRosStack } from './ros-stack-destroyer';
export type { DestroyRosStackOptions, DestroyRosStackResult } from './ros-stack-destroyer';
export { getRosStackOutputs } from './ros-stack-outputs';
export type { RosStackOutputs } from './ros-stack-outputs';
export type { RosChangePreview, RosResourceChange } from './ros-change-preview';
export type { RosStackEventView } from './ros-event-stream';
export { RosDeployError } from './ros-deploy-error';
export { RosInputError } from './ros-input-limits';
export { AlibabaApiError } from './api-error';

export interface DeployRosStackOptions extends RosOperationOptions {
  /** The synthesized ROS template (JSON). */
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Parameters whose values are secret. Parameters declared `NoEcho` in the template are added automatically. */
  readonly noEchoParameterKeys?: readonly string[];
  /** Shown the change set; resolve `true` to execute it. */
  readonly confirm: (preview: RosChangePreview) => Promise<boolean>;
  /** 10-1440; ROS's default (60) when unset. */
  readonly timeoutInMinutes?: number;
  /** Stack tags (applied by the change set). */
  readonly tags?: Readonly<Record<string, string>>;
  /** How long to wait for an operation someone else started before refusing; 0 refuses at once. @default maxWaitMs */
  readonly waitForInProgressMs?: number;
  /** Delete a stack whose first create failed, then create it again. @default false */
  readonly recreateFailedStack?: boolean;
  /** @default 'deploy' */
  readonly changeSetNamePrefix?: string;
}

export interface DeployRosStackResult {
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
}

/**
 * Deploys a ROS stack through a change set: create or update, preview, confirm, execute, stream events, outputs.
 * Safe to re-run after an interruption: change set names are derived from the content, so a re-run picks up the
 * change set an earlier run left instead of duplicating it; retried writes carry a ClientToken.
 */
export async function deployRosStack(opts: DeployRosStackOptions): Promise<DeployRosStackResult> {
  const facts = readTemplateFacts(opts.templateBody);
  const noEchoKeys = new Set([...(opts.noEchoParameterKeys ?? []), ...facts.parameters.filter((p) => p.noEcho).map((p) => p.key)]);
  assertRosDeployInputs({ ...opts, noEchoKeys }, facts);
  const secrets = [...noEchoKeys].map((k) => opts.parameters[k]).filter((v): v is string => typeof v === 'string');
  const s = openRosSession(opts, secrets);
  const prefix = opts.changeSetNamePrefix ?? 'deploy';
  const runNonce = randomUUID();
  const identityFor = (type: ChangeSetType, base: string) => changeSetIdentity({
    prefix, stackName: opts.stackName, type, templateBody: opts.templateBody, parameters: opts.parameters,
    replacementOption: type === 'UPDATE' ? 'Enabled' : '', base, runNonce,
  });

  const prepared = await prepareStackForDeploy(s, await s.api.findStackByName(opts.stackName), {
    createChangeSetName: identityFor('CREATE', 'new').changeSetName,
    waitForInProgressMs: opts.waitForInProgressMs ?? s.poll.maxWaitMs,
    recreateFailedStack: opts.recreateFailedStack ?? false,
  });
  const result = (r: Omit<DeployRosStackResult, 'apiCalls' | 'waitedFor'>): DeployRosStackResult =>
    ({ ...r, apiCalls: s.api.apiCalls, waitedFor: prepared.waitedFor });
  const reusing = prepared.reuseChangeSetId !== undefined;
  const type: ChangeSetType = prepared.stack && !reusing ? 'UPDATE' : 'CREATE';
  const identity = identityFor(type, type === 'CREATE' ? 'new' : baseOf(prepared.stack));

  let changeSetId: string;
  let stackId: string;
  let readiness: ChangeSetReadiness;
  if (prepared.reuseChangeSetId) {
    changeSetId = prepared.reuseChangeSetId;
    stackId = prepared.stack!.stackId;
    readiness = await waitForChangeSet(s.api, changeSetId, s.poll);
  } else {
    const obtained = await obtainChangeSet(s.api, {
      changeSetName: identity.changeSetName, changeSetType: type, stackId: prepared.stack?.stackId, templateBody: opts.templateBody,
      parameters: opts.parameters, clientToken: identity.clientToken,
      replacementOption: type === 'UPDATE' ? 'Enabled' : undefined, timeoutInMinutes: opts.timeoutInMinutes, tags: opts.tags,
    }, s.poll);
    if (obtained.kind === 'no-changes') return result(await noChanges(s, prepared.stack));
    ({ changeSetId, stackId, readiness } = obtained);
    s.log(`ROS stack '${opts.stackName}': ${obtained.reused ? 'reusing' : 'created'} ${type} change set ${readiness.changeSet.changeSetName ?? identity.changeSetName}`);
  }
  const cs = await readyChangeSet(s, readiness, type, stackId);
  if (!cs) return result(await noChanges(s, prepared.stack));

  const changes = normalizeChanges(cs.changes);
  const templateOnly = changes.length === 0 && type === 'UPDATE';
  if (templateOnly && isSameTemplate((await s.api.getTemplateBody(stackId)) ?? '', opts.templateBody)) {
    await discardChangeSet(s, changeSetId, 'UPDATE', stackId);
    return result(await noChanges(s, prepared.stack));
  }
  const preview = buildPreview({ stackName: opts.stackName, changeSetType: type, changeSetId, changes, templateOnly });
  s.log(preview.text);
  if (!(await opts.confirm(preview))) {
    await discardChangeSet(s, changeSetId, type, stackId);
    s.log(`ROS stack '${opts.stackName}': cancelled, change set deleted`);
    return result({ action: 'cancelled', stackId: type === 'UPDATE' ? stackId : undefined, outputs: {}, changes });
  }
  const outputs = await execute(s, cs, type, stackId, type === 'CREATE' ? Math.max(facts.resources.length, changes.length) : changes.length);
  return result({ action: type === 'CREATE' ? 'created' : 'updated', stackId, outputs, changes });
}

function baseOf(stack: RosStackSummary | undefined): string {
  return stack?.updateTime ?? stack?.createTime ?? '';
}

async function noChanges(s: RosSession, stack: RosStackSummary | undefined): Promise<Omit<DeployRosStackResult, 'apiCalls'>> {
  if (!stack) {
    throw new RosDeployError(`ROS stack '${s.stackName}': ROS reported nothing to create for the new stack; check that the template declares resources.`,
      'change-set-failed', s.stackName);
  }
  s.log(`ROS stack '${s.stackName}': no changes`);
  const detail = await s.api.getStack(stack.stackId, true);
  return { action: 'no-changes', stackId: stack.stackId, outputs: detail?.outputs ?? {}, changes: [] };
}

/** The computed change set, or undefined when ROS says there is nothing to change. Throws when it failed. */
async function readyChangeSet(s: RosSession, ready: ChangeSetReadiness, type: ChangeSetType, stackId: string): Promise<RosChangeSetDetail | undefined> {
  if (ready.kind === 'ready') return ready.changeSet;
  await discardChangeSet(s, ready.changeSet.changeSetId, type, stackId);
  if (ready.kind === 'no-changes') return undefined;
  const why = ready.kind === 'timed-out'
    ? `ROS did not finish computing it within ${Math.round(ready.waitedMs / 1000)}s (status ${ready.changeSet.status})`
    : `status ${ready.changeSet.status}${ready.changeSet.statusReason ? `: ${s.redactor.redact(ready.changeSet.statusReason)}` : ''}`;
  throw new RosDeployError(
    `ROS stack '${s.stackName}': the ${type} change set failed, ${why}. Nothing was changed; fix the template or parameters and deploy again.`,
    'change-set-failed', s.stackName);
}

/** Removes an unexecuted change set, and for CREATE the empty REVIEW_IN_PROGRESS stack it made. Best effort. */
async function discardChangeSet(s: RosSession, changeSetId: string, type: ChangeSetType, stackId: string): Promise<void> {
  try {
    await s.api.deleteChangeSet(changeSetId);
    if (type === 'CREATE') await s.api.deleteStack(stackId);
  } catch (err) {
    s.log(`ROS stack '${s.stackName}': could not clean up change set ${changeSetId}: ${(err as Error).message}`);
  }
}

async function execute(s: RosSession, cs: RosChangeSetDetail, type: ChangeSetType, stackId: string, total: number): Promise<Record<string, string>> {
  await executeOnce(s.api, cs.changeSetId);
  s.log(`ROS stack '${s.stackName}': executing change set`);
  const stream = new RosEventStream(s.api, stackId, {
    stackName: s.stackName, totalResources: total, since: cs.createTime, redactor: s.redactor, onEvent: s.onEvent, log: s.log,
  });
  const { stack, timedOut, waitedMs } = await waitForStackToSettle(s.api, stackId, stream, s.poll);
  if (timedOut) {
    throw new RosDeployError(
      `ROS stack '${s.stackName}' is still ${stack?.status} after waiting ${Math.round(waitedMs / 1000)}s; the operation goes on in ROS. ` +
      'Run deploy again to keep waiting and finish, or follow the stack in the ROS console.',
      'timed-out', s.stackName, stack?.status);
  }
  const op = type === 'CREATE' ? 'CREATE' : 'UPDATE';
  if (stack?.status === successStatusFor(op)) {
    s.log(`ROS stack '${s.stackName}': ${stack.status}`);
    return stack.outputs;
  }
  throw operationFailedError({
    stackName: s.stackName, verb: op.toLowerCase(), status: stack?.status ?? 'DELETE_COMPLETE',
    statusReason: stack?.statusReason && s.redactor.redact(stack.statusReason), failures: stream.failures, hints: s.hints,
  });
}

/** A reset or timeout can hide an execute that went through; ask ROS before calling it a failure. */
async function executeOnce(api: RosApi, changeSetId: string): Promise<void> {
  try {
    await api.executeChangeSet(changeSetId, executeClientToken(changeSetId));
  } catch (err) {
    const cs = await api.getChangeSet(changeSetId).catch(() => undefined);
    if (cs?.executionStatus === 'EXECUTE_IN_PROGRESS' || cs?.executionStatus === 'EXECUTE_COMPLETE') return;
    throw err;
  }
}

