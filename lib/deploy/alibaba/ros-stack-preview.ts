import { randomUUID } from 'crypto';
import { changeSetIdentity, createChangeSet, waitForChangeSet } from './ros-change-set';
import { buildPreview, changesForNewStack, normalizeChanges, RosChangePreview } from './ros-change-preview';
import { nextStepFor, RosDeployError } from './ros-deploy-error';
import { assertRosDeployInputs } from './ros-input-limits';
import { openRosSession, RosOperationOptions } from './ros-session';
import { isFailedCreate, isOperationInProgress, isUpdatable, REVIEW_IN_PROGRESS } from './ros-stack-status';
import { isSameTemplate, readTemplateFacts } from './ros-template-facts';

export interface PreviewRosStackOptions extends RosOperationOptions {
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly noEchoParameterKeys?: readonly string[];
  /** @default 'diff' */
  readonly changeSetNamePrefix?: string;
}

export interface RosStackPreviewResult {
  /** False when the stack is not deployed (or only a failed/empty create is left): everything is an Add. */
  readonly stackExists: boolean;
  readonly stackStatus?: string;
  readonly preview: RosChangePreview;
  readonly apiCalls: number;
}

/**
 * For `diff`: what a deploy would change. Creates an UPDATE change set, reads it and deletes it; never executes.
 * A stack that does not exist yet is not touched at all (a CREATE change set would leave a REVIEW stack behind).
 */
export async function previewRosStackChanges(opts: PreviewRosStackOptions): Promise<RosStackPreviewResult> {
  const facts = readTemplateFacts(opts.templateBody);
  const noEchoKeys = new Set([...(opts.noEchoParameterKeys ?? []), ...facts.parameters.filter((p) => p.noEcho).map((p) => p.key)]);
  assertRosDeployInputs({ ...opts, noEchoKeys }, facts);
  const s = openRosSession(opts, [...noEchoKeys].map((k) => opts.parameters[k]).filter((v): v is string => typeof v === 'string'));
  const stack = await s.api.findStackByName(opts.stackName);
  const done = (preview: Omit<RosChangePreview, 'text' | 'stackName'>, exists: boolean): RosStackPreviewResult => ({
    stackExists: exists, stackStatus: stack?.status, preview: buildPreview({ stackName: opts.stackName, ...preview }), apiCalls: s.api.apiCalls,
  });

  if (!stack || stack.status === REVIEW_IN_PROGRESS || isFailedCreate(stack.status)) {
    return done({ changeSetType: 'CREATE', changes: changesForNewStack(facts), templateOnly: false }, false);
  }
  if (isOperationInProgress(stack.status)) {
    throw new RosDeployError(`ROS stack '${opts.stackName}' is ${stack.status}; run diff again when that operation has finished.`,
      'stack-busy', opts.stackName, stack.status);
  }
  if (!isUpdatable(stack.status)) {
    throw new RosDeployError(`ROS stack '${opts.stackName}' is ${stack.status}; no change set can be computed. ${nextStepFor(stack.status, s.hints)}`,
      'stack-not-updatable', opts.stackName, stack.status);
  }
  const identity = changeSetIdentity({
    prefix: opts.changeSetNamePrefix ?? 'diff', stackName: opts.stackName, type: 'UPDATE', templateBody: opts.templateBody,
    parameters: opts.parameters, replacementOption: 'Enabled', base: stack.updateTime ?? stack.createTime ?? '', runNonce: randomUUID(),
  });
  const created = await createChangeSet(s.api, {
    changeSetName: identity.changeSetName, changeSetType: 'UPDATE', stackId: stack.stackId, templateBody: opts.templateBody,
    parameters: opts.parameters, clientToken: identity.clientToken, replacementOption: 'Enabled',
  });
  if (created.kind === 'no-changes') return done({ changeSetType: 'UPDATE', changes: [], templateOnly: false }, true);
  try {
    const ready = await waitForChangeSet(s.api, created.changeSetId, s.poll);
    if (ready.kind === 'no-changes') return done({ changeSetType: 'UPDATE', changes: [], templateOnly: false }, true);
    if (ready.kind !== 'ready') {
      throw new RosDeployError(
        `ROS stack '${opts.stackName}': could not compute the changes (change set ${ready.changeSet.status}${ready.changeSet.statusReason ? `: ${s.redactor.redact(ready.changeSet.statusReason)}` : ''})`,
        'change-set-failed', opts.stackName, stack.status);
    }
    const changes = normalizeChanges(ready.changeSet.changes);
    const templateOnly = changes.length === 0 && !isSameTemplate((await s.api.getTemplateBody(stack.stackId)) ?? '', opts.templateBody);
    return done({ changeSetType: 'UPDATE', changeSetId: created.changeSetId, changes, templateOnly }, true);
  } finally {
    await s.api.deleteChangeSet(created.changeSetId).catch((err: Error) =>
      s.log(`ROS stack '${opts.stackName}': could not delete preview change set ${identity.changeSetName}: ${err.message}`));
  }
}
