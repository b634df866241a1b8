import { RosStackEventView } from './ros-event-stream';

export type RosDeployErrorReason =
  /** The stack operation ended in a failure or rollback state. */
  | 'operation-failed'
  /** The stack was still in progress when the wait bound ran out. */
  | 'timed-out'
  /** Another operation holds the stack. */
  | 'stack-busy'
  /** The stack is in a state that no change set can start from. */
  | 'stack-not-updatable'
  /** ROS could not compute the change set. */
  | 'change-set-failed';

export interface FailedResource {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly statusReason?: string;
}

/** A deploy/destroy that did not reach its goal. The message says what happened and what to do next. */
export class RosDeployError extends Error {
  constructor(
    message: string,
    readonly reason: RosDeployErrorReason,
    readonly stackName: string,
    readonly stackStatus?: string,
    readonly failedResources: readonly FailedResource[] = [],
  ) {
    super(message);
    this.name = 'RosDeployError';
  }
}

/** How the caller's UI names the ways out; the CLI passes its own flag and command names. */
export interface RecoveryHints {
  /** @default "the recreateFailedStack option" */
  readonly recreateFailedStack?: string;
  /** @default "destroy" */
  readonly destroyCommand?: string;
}

export function failedResourcesFrom(events: readonly RosStackEventView[]): FailedResource[] {
  const byId = new Map<string, FailedResource>();
  for (const e of events) {
    // The first failure of a resource is the cause; later ones (rollback) are consequences.
    if (!byId.has(e.logicalId)) byId.set(e.logicalId, { logicalId: e.logicalId, resourceType: e.resourceType, status: e.status, statusReason: e.statusReason });
  }
  return [...byId.values()];
}

export function nextStepFor(status: string, hints: RecoveryHints = {}): string {
  const recreate = hints.recreateFailedStack ?? 'the recreateFailedStack option';
  const destroy = hints.destroyCommand ?? 'destroy';
  if (/^(IMPORT_)?CREATE_(FAILED|ROLLBACK_COMPLETE|ROLLBACK_FAILED)$/.test(status)) {
    return `A stack whose first create failed cannot be updated. Fix the cause above, then delete the stack (${destroy}) and deploy again, or deploy again with ${recreate} to delete it first.`;
  }
  if (status === 'ROLLBACK_COMPLETE') {
    return 'The update was rolled back; the stack keeps its previous version. Fix the cause above and deploy again.';
  }
  if (status === 'ROLLBACK_FAILED' || status === 'UPDATE_FAILED') {
    return 'The stack may be partly updated. Check its events in the ROS console, fix the cause above and deploy again.';
  }
  if (status === 'DELETE_FAILED') {
    return `Some resources could not be deleted. Fix the cause above (or delete those resources by hand) and run ${destroy} again.`;
  }
  return 'Check the stack events in the ROS console, fix the cause and run the command again.';
}

export function operationFailedError(args: {
  stackName: string; verb: string; status: string; statusReason?: string; failures: readonly RosStackEventView[]; hints?: RecoveryHints;
}): RosDeployError {
  const failed = failedResourcesFrom(args.failures);
  const lines = [
    `ROS stack '${args.stackName}' failed to ${args.verb}: final status ${args.status}${args.statusReason ? ` (${args.statusReason})` : ''}.`,
  ];
  if (failed.length > 0) {
    lines.push('Failed resources:');
    for (const f of failed) lines.push(`  - ${f.logicalId} (${f.resourceType}) ${f.status}${f.statusReason ? `: ${f.statusReason}` : ''}`);
  }
  lines.push(`How to go on: ${nextStepFor(args.status, args.hints)}`);
  return new RosDeployError(lines.join('\n'), 'operation-failed', args.stackName, args.status, failed);
}
