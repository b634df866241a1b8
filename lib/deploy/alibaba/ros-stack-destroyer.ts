import { waitOutOtherOperation } from './ros-existing-stack';
import { openRosSession, RosOperationOptions } from './ros-session';
import { deleteStackAndWait } from './ros-stack-delete';
import { isOperationInProgress } from './ros-stack-status';

export type DestroyRosStackOptions = RosOperationOptions;

export interface DestroyRosStackResult {
  readonly action: 'deleted' | 'not-found';
  readonly stackId?: string;
  readonly apiCalls: number;
}

/** Deletes the stack by name, streaming events, and waits for the end. A missing stack is a no-op. */
export async function destroyRosStack(opts: DestroyRosStackOptions): Promise<DestroyRosStackResult> {
  const s = openRosSession(opts);
  let stack = await s.api.findStackByName(opts.stackName);
  if (!stack) {
    s.log(`ROS stack '${opts.stackName}' does not exist; nothing to delete`);
    return { action: 'not-found', apiCalls: s.api.apiCalls };
  }
  const stackId = stack.stackId;
  if (stack.status === 'DELETE_IN_PROGRESS') {
    s.log(`ROS stack '${opts.stackName}' is already being deleted; waiting for it`);
    await deleteStackAndWait(s, stack, { alreadyDeleting: true });
    return { action: 'deleted', stackId, apiCalls: s.api.apiCalls };
  }
  if (isOperationInProgress(stack.status)) {
    stack = await waitOutOtherOperation(s, stack, s.poll.maxWaitMs);
    if (!stack) return { action: 'deleted', stackId, apiCalls: s.api.apiCalls };
  }
  s.log(`ROS stack '${opts.stackName}': deleting`);
  await deleteStackAndWait(s, stack);
  s.log(`ROS stack '${opts.stackName}': DELETE_COMPLETE`);
  return { action: 'deleted', stackId, apiCalls: s.api.apiCalls };
}
