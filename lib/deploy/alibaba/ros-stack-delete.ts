import { RosStackSummary } from './ros-api';
import { operationFailedError, RosDeployError } from './ros-deploy-error';
import { RosEventStream } from './ros-event-stream';
import { RosSession } from './ros-session';
import { waitForStackToSettle } from './ros-stack-waiter';
import { REVIEW_IN_PROGRESS } from './ros-stack-status';

/**
 * Deletes a stack and waits until ROS reports DELETE_COMPLETE or no longer knows it. With `alreadyDeleting`, only
 * waits (a delete started by someone else, or by an earlier interrupted run).
 */
export async function deleteStackAndWait(s: RosSession, stack: RosStackSummary, opts: { alreadyDeleting?: boolean } = {}): Promise<void> {
  const reviewOnly = stack.status === REVIEW_IN_PROGRESS;
  const total = reviewOnly ? 0 : await s.api.listStackResourceCount(stack.stackId);
  const stream = new RosEventStream(s.api, stack.stackId, {
    stackName: s.stackName, totalResources: total, redactor: s.redactor, onEvent: s.onEvent, log: s.log,
  });
  if (!reviewOnly) await stream.prime();
  if (!opts.alreadyDeleting) await s.api.deleteStack(stack.stackId);
  const { stack: last, timedOut, waitedMs } = await waitForStackToSettle(s.api, stack.stackId, reviewOnly ? undefined : stream, s.poll);
  if (timedOut) {
    throw new RosDeployError(
      `ROS stack '${s.stackName}' is still ${last?.status ?? 'deleting'} after waiting ${Math.round(waitedMs / 1000)}s; the delete goes on in ROS. Run the command again to keep waiting, or check the stack in the ROS console.`,
      'timed-out', s.stackName, last?.status);
  }
  if (!last || last.status === 'DELETE_COMPLETE') return;
  throw operationFailedError({
    stackName: s.stackName, verb: 'delete', status: last.status,
    statusReason: last.statusReason && s.redactor.redact(last.statusReason), failures: stream.failures, hints: s.hints,
  });
}
