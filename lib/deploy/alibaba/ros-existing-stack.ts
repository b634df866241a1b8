import { RosStackSummary } from './ros-api';
import { nextStepFor, RosDeployError } from './ros-deploy-error';
import { RosEventStream } from './ros-event-stream';
import { RosSession } from './ros-session';
import { deleteStackAndWait } from './ros-stack-delete';
import { waitForStackToSettle } from './ros-stack-waiter';
import {
  isDegradedAfterUpdate, isFailedCreate, isOperationInProgress, isUpdatable, REVIEW_IN_PROGRESS,
} from './ros-stack-status';

/**
 * Waits (bounded) for an operation this run did not start: another deploy, or an earlier run that was interrupted
 * after it executed a change set. Returns the stack as it ended, or undefined once it is gone.
 */
export async function waitOutOtherOperation(s: RosSession, stack: RosStackSummary, maxWaitMs: number): Promise<RosStackSummary | undefined> {
  const busy = (waited: string) => new RosDeployError(
    `ROS stack '${s.stackName}' is ${stack.status}: another operation is running on it (another deploy, or an earlier run that was interrupted)${waited}. ` +
    'Run the command again when it has finished; to stop it, cancel the operation in the ROS console.',
    'stack-busy', s.stackName, stack.status);
  if (maxWaitMs <= 0) throw busy('');
  s.log(`ROS stack '${s.stackName}' is ${stack.status}; waiting up to ${Math.round(maxWaitMs / 1000)}s for that operation to finish`);
  const stream = new RosEventStream(s.api, stack.stackId, {
    stackName: s.stackName, totalResources: 0, redactor: s.redactor, onEvent: s.onEvent, log: s.log,
  });
  await stream.prime();
  const res = await waitForStackToSettle(s.api, stack.stackId, stream, { ...s.poll, maxWaitMs });
  if (res.timedOut) throw busy(`; waited ${Math.round(res.waitedMs / 1000)}s`);
  s.log(`ROS stack '${s.stackName}': the running operation ended in ${res.stack?.status ?? 'DELETE_COMPLETE'}`);
  return res.stack && res.stack.status !== 'DELETE_COMPLETE' ? res.stack : undefined;
}

export interface PreparedStack {
  /** The stack to update, or undefined to create it. */
  readonly stack?: RosStackSummary;
  /** A CREATE change set an interrupted earlier run left behind, to go on with. */
  readonly reuseChangeSetId?: string;
  /** Final status of another operation this run waited for. */
  readonly waitedFor?: string;
}

export interface PrepareOptions {
  /** Name of the CREATE change set this run would make; a REVIEW_IN_PROGRESS stack holding it is resumed. */
  readonly createChangeSetName: string;
  readonly waitForInProgressMs: number;
  readonly recreateFailedStack: boolean;
}

const RESUMABLE_CHANGE_SET = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);

/** Brings whatever stack carries the name into a state a change set can start from, or explains why not. */
export async function prepareStackForDeploy(s: RosSession, found: RosStackSummary | undefined, o: PrepareOptions): Promise<PreparedStack> {
  let stack = found;
  let waitedFor: string | undefined;
  // Each round ends the current state or returns; three rounds cover wait -> delete failed -> create.
  for (let round = 0; round < 3; round++) {
    if (!stack) return { waitedFor };
    if (isOperationInProgress(stack.status)) {
      stack = await waitOutOtherOperation(s, stack, o.waitForInProgressMs);
      waitedFor = stack?.status ?? 'DELETE_COMPLETE';
      continue;
    }
    if (stack.status === REVIEW_IN_PROGRESS) {
      const mine = (await s.api.listChangeSets(stack.stackId))
        .find((c) => c.changeSetName === o.createChangeSetName && RESUMABLE_CHANGE_SET.has(c.status));
      if (mine) {
        s.log(`ROS stack '${s.stackName}' is ${REVIEW_IN_PROGRESS} with change set ${mine.changeSetName} from an earlier run; going on with it`);
        return { stack, reuseChangeSetId: mine.changeSetId, waitedFor };
      }
      s.log(`ROS stack '${s.stackName}' is ${REVIEW_IN_PROGRESS} (a create that was never executed, with other content); deleting the empty stack first`);
      await deleteStackAndWait(s, stack);
      stack = undefined;
      continue;
    }
    if (isFailedCreate(stack.status)) {
      if (!o.recreateFailedStack) {
        throw new RosDeployError(
          `ROS stack '${s.stackName}' is ${stack.status}${stack.statusReason ? ` (${s.redactor.redact(stack.statusReason)})` : ''}. ${nextStepFor(stack.status, s.hints)}`,
          'stack-not-updatable', s.stackName, stack.status);
      }
      s.log(`ROS stack '${s.stackName}' is ${stack.status}; deleting it before creating it again`);
      await deleteStackAndWait(s, stack);
      stack = undefined;
      continue;
    }
    if (isUpdatable(stack.status)) {
      if (isDegradedAfterUpdate(stack.status)) {
        s.log(`ROS stack '${s.stackName}' is ${stack.status}: its last update did not apply; this deploy updates it again`);
      }
      return { stack, waitedFor };
    }
    throw new RosDeployError(
      `ROS stack '${s.stackName}' is ${stack.status}, from which no change set can be created. ${nextStepFor(stack.status, s.hints)}`,
      'stack-not-updatable', s.stackName, stack.status);
  }
  throw new RosDeployError(`ROS stack '${s.stackName}' kept changing state while this deploy prepared it (last: ${stack?.status}); run the command again`,
    'stack-busy', s.stackName, stack?.status);
}
