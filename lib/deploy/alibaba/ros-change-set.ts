import { createHash } from 'crypto';
import { AlibabaApiError } from './api-error';
import { PollSettings, pollUntil } from './poll-loop';
import { CreateChangeSetInput, RosApi, RosChangeSetDetail } from './ros-api';

export type ChangeSetType = 'CREATE' | 'UPDATE';

export interface ChangeSetIdentity {
  readonly changeSetName: string;
  readonly clientToken: string;
}

export interface ChangeSetFingerprintInput {
  readonly prefix: string;
  readonly stackName: string;
  readonly type: ChangeSetType;
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly replacementOption: string;
  /**
   * What the change set is based on: the stack's last update (or create) time for UPDATE, 'new' for CREATE.
   * Part of the identity so that deploying A, then B, then A again never gets A's old change set back through
   * the idempotent ClientToken, while a re-run after an interruption (same base) gets the same one.
   */
  readonly base: string;
}

const PREFIX = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * Deterministic change set name and ClientToken. The hash covers parameter values, NoEcho ones included, so a
 * rotated secret yields a new change set; a truncated SHA-256 cannot be turned back into a random secret.
 */
export function changeSetIdentity(input: ChangeSetFingerprintInput): ChangeSetIdentity {
  if (!PREFIX.test(input.prefix)) {
    throw new Error(`changeSetNamePrefix '${input.prefix}' must be 1-64 letters, digits, '-' or '_', starting with a letter`);
  }
  const params = Object.keys(input.parameters).sort().map((k) => [k, input.parameters[k]]);
  const fp = createHash('sha256').update(JSON.stringify([
    'ros-change-set/v1', input.stackName, input.type, input.base, input.replacementOption, input.templateBody, params,
  ])).digest('hex');
  return { changeSetName: `${input.prefix}-${fp.slice(0, 24)}`, clientToken: fp.slice(0, 48) };
}

/** ExecuteChangeSet's ClientToken: a retried execute after a reset or timeout must not count as a second one. */
export function executeClientToken(changeSetId: string): string {
  return createHash('sha256').update(`execute/${changeSetId}`).digest('hex').slice(0, 48);
}

/**
 * How ROS says "nothing to change" is not pinned down by its docs: UpdateStack answers `NotSupported` "Update the
 * completely same stack ... is not supported"; a change set may come back FAILED with a similar reason, or
 * CREATE_COMPLETE with an empty `Changes` list. All of these are recognised.
 */
const NO_CHANGE_REASON = /completely same stack|same stack|no changes?|not changed|didn't contain changes|does not contain (any )?changes|no updates/i;

export function isNoChangeReason(reason: string | undefined): boolean {
  return reason !== undefined && NO_CHANGE_REASON.test(reason);
}

export type CreateChangeSetOutcome =
  | { readonly kind: 'created'; readonly changeSetId: string; readonly stackId: string; readonly reused: boolean }
  | { readonly kind: 'no-changes'; readonly reason: string };

/** CreateChangeSet, tolerant of the re-run cases: a duplicate name (reuse it) and a synchronous "no changes". */
export async function createChangeSet(api: RosApi, input: CreateChangeSetInput): Promise<CreateChangeSetOutcome> {
  try {
    const { changeSetId, stackId } = await api.createChangeSet(input);
    return { kind: 'created', changeSetId, stackId, reused: false };
  } catch (err) {
    if (!(err instanceof AlibabaApiError)) throw err;
    if (err.code === 'NotSupported' && isNoChangeReason(err.message)) return { kind: 'no-changes', reason: err.message };
    if (input.changeSetType === 'UPDATE' && input.stackId && /Exist/i.test(err.code)) {
      const [same] = await api.listChangeSets(input.stackId, input.changeSetName);
      if (same && same.changeSetName === input.changeSetName) {
        return { kind: 'created', changeSetId: same.changeSetId, stackId: input.stackId, reused: true };
      }
    }
    throw err;
  }
}

export type ChangeSetReadiness =
  | { readonly kind: 'ready'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'no-changes'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'failed'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'timed-out'; readonly changeSet: RosChangeSetDetail; readonly waitedMs: number };

const PENDING = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);

/** Waits until ROS has computed the change set, and says whether it can be executed. */
export async function waitForChangeSet(api: RosApi, changeSetId: string, poll: PollSettings): Promise<ChangeSetReadiness> {
  const { value: cs, timedOut, waitedMs } = await pollUntil(async () => {
    const value = await api.getChangeSet(changeSetId);
    return { value, done: !PENDING.has(value.status) };
  }, poll);
  if (timedOut) return { kind: 'timed-out', changeSet: cs, waitedMs };
  if (cs.status === 'CREATE_COMPLETE') return { kind: 'ready', changeSet: cs };
  if (cs.status === 'CREATE_FAILED' && isNoChangeReason(cs.statusReason)) return { kind: 'no-changes', changeSet: cs };
  return { kind: 'failed', changeSet: cs };
}
