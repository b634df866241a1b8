/**
 * ROS stack status classes (GetStack `Status`, API 2019-09-10). `REVIEW_IN_PROGRESS` is not an operation in flight:
 * it is a stack made by a CREATE change set that was never executed.
 */
export const REVIEW_IN_PROGRESS = 'REVIEW_IN_PROGRESS';

export function isOperationInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== REVIEW_IN_PROGRESS;
}

/**
 * States in which ROS accepts an UPDATE change set (ROS user guide, "Update a stack by using a change set").
 * `ROLLBACK_COMPLETE` belongs here: in ROS it is the state after a failed *update* rolled back, the stack's old
 * resources are intact. The create-time equivalent is `CREATE_ROLLBACK_COMPLETE`.
 */
const UPDATABLE = new Set([
  'CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_FAILED', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED',
  'IMPORT_CREATE_COMPLETE', 'IMPORT_UPDATE_COMPLETE',
]);

/** A first create that failed: nothing usable to update, the stack has to go before a new create. */
const FAILED_CREATE = new Set([
  'CREATE_FAILED', 'CREATE_ROLLBACK_COMPLETE', 'CREATE_ROLLBACK_FAILED',
  'IMPORT_CREATE_FAILED', 'IMPORT_CREATE_ROLLBACK_COMPLETE', 'IMPORT_CREATE_ROLLBACK_FAILED',
]);

export function isUpdatable(status: string): boolean {
  return UPDATABLE.has(status);
}

export function isFailedCreate(status: string): boolean {
  return FAILED_CREATE.has(status);
}

/** An update that did not apply cleanly earlier; still updatable, worth a warning. */
export function isDegradedAfterUpdate(status: string): boolean {
  return status === 'UPDATE_FAILED' || status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED';
}

export type StackOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** The one status that means the operation did what was asked. Anything else terminal is a failure. */
export function successStatusFor(op: StackOperation): string {
  return `${op}_COMPLETE`;
}

/** Resource or stack event statuses after which that resource will not change again in this operation. */
export function isTerminalEventStatus(status: string): boolean {
  return /_(COMPLETE|FAILED|SKIPPED)$/.test(status);
}
