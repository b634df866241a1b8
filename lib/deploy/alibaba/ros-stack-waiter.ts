import { PollSettings, pollUntil } from './poll-loop';
import { RosApi, RosStackDetail } from './ros-api';
import { RosEventStream } from './ros-event-stream';
import { isOperationInProgress } from './ros-stack-status';

export interface StackWaitResult {
  /** Last state read; undefined once ROS no longer knows the stack (deleted). */
  readonly stack?: RosStackDetail;
  readonly timedOut: boolean;
  readonly waitedMs: number;
}

/**
 * Polls GetStack (outputs included, so a successful wait needs no extra read) and streams events until the stack
 * leaves `*_IN_PROGRESS`, disappears, or `maxWaitMs` passes.
 */
export async function waitForStackToSettle(
  api: RosApi, stackId: string, stream: RosEventStream | undefined, poll: PollSettings,
): Promise<StackWaitResult> {
  const { value, timedOut, waitedMs } = await pollUntil(async () => {
    const stack = await api.getStack(stackId, true);
    // Events after GetStack: every event up to the status just read is then shown before returning.
    const events = stream && stack ? await stream.poll() : [];
    return { value: stack, done: !stack || !isOperationInProgress(stack.status), progressed: events.length > 0 };
  }, poll);
  return { stack: value, timedOut, waitedMs };
}
