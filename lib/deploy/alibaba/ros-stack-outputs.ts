import { openRosSession, RosOperationOptions } from './ros-session';

export interface RosStackOutputs {
  readonly stackId: string;
  readonly status: string;
  readonly outputs: Record<string, string>;
}

/** Outputs of the stack with this name, or undefined when there is no such stack. */
export async function getRosStackOutputs(
  opts: Pick<RosOperationOptions, 'client' | 'regionId' | 'stackName' | 'retry' | 'clock' | 'random' | 'log'>,
): Promise<RosStackOutputs | undefined> {
  const s = openRosSession(opts);
  const found = await s.api.findStackByName(opts.stackName);
  if (!found) return undefined;
  const stack = await s.api.getStack(found.stackId, true);
  return stack ? { stackId: stack.stackId, status: stack.status, outputs: stack.outputs } : undefined;
}
