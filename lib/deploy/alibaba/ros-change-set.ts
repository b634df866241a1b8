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
   * Part of the name so a leftover from before the stack last changed is never mistaken for the one to use.
   */
  readonly base: string;
  /** Unique per run (a UUID). Only the ClientToken depends on it. */
  readonly runNonce: string;
}

const PREFIX = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * The change set name is deterministic in the content, so a re-run after an interruption finds the change set the
 * earlier run left (by name) instead of making a duplicate. The hash covers parameter values, NoEcho ones included,
 * so a rotated secret yields a new change set; a truncated SHA-256 cannot be turned back into a random secret.
 *
 * The ClientToken is deterministic within a run (every retry of a reset or timed-out CreateChangeSet sends the same
 * one, so ROS makes one change set) but not across runs: ROS keeps a token's answer after the change set is deleted,
 * so a token reused by the next run would hand back a deleted change set after every no-op or declined deploy.
 */
export function changeSetIdentity(input: ChangeSetFingerprintInput): ChangeSetIdentity {
  if (!PREFIX.test(input.prefix)) {
    throw new Error(`changeSetNamePrefix '${input.prefix}' must be 1-64 letters, digits, '-' or '_', starting with a letter`);
  }
  const params = Object.keys(input.parameters).sort().map((k) => [k, input.parameters[k]]);
  const fp = createHash('sha256').update(JSON.stringify([
    'ros-change-set/v1', input.stackName, input.type, input.base, input.replacementOption, input.templateBody, params,
  ])).digest('hex');
  const changeSetName = `${input.prefix}-${fp.slice(0, 24)}`;
  const clientToken = createHash('sha256').update(`${changeSetName}/${input.runNonce}`).digest('hex').slice(0, 48);
  return { changeSetName, clientToken };
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
const NO_CHANGE_REASON = /completely same stack|\bno changes?\b(?!\s*set)|\bnot changed\b|didn't contain changes|does not contain (any )?changes|no updates are to be performed/i;

export function isNoChangeReason(reason: string | undefined): boolean {
  return reason !== undefined && NO_CHANGE_REASON.test(reason);
}

export type CreateChangeSetOutcome =
  | { readonly kind: 'created'; readonly changeSetId: string; readonly stackId: string; readonly reused: boolean }
  | { readonly kind: 'no-changes'; readonly reason: string };

const PENDING = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);

/**
 * CreateChangeSet, tolerant of the re-run cases: a synchronous "no changes", and a name that is taken because an
 * earlier run made a change set with this very content. An unexecuted one is reused; one that can no longer be
 * executed (failed, obsolete, executed) is deleted and made again. The code ROS uses for a taken name is not
 * documented, so any client error on an UPDATE is checked against the stack's change sets.
 */
export async function createChangeSet(api: RosApi, input: CreateChangeSetInput): Promise<CreateChangeSetOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { changeSetId, stackId } = await api.createChangeSet(input);
      return { kind: 'created', changeSetId, stackId, reused: false };
    } catch (err) {
      if (!(err instanceof AlibabaApiError)) throw err;
      if (err.code === 'NotSupported' && isNoChangeReason(err.message)) return { kind: 'no-changes', reason: err.message };
      if (input.changeSetType !== 'UPDATE' || !input.stackId || err.kind !== 'client' || attempt > 1) throw err;
      const same = (await api.listChangeSets(input.stackId, input.changeSetName)).find((c) => c.changeSetName === input.changeSetName);
      if (!same) throw err;
      const reusable = same.status === 'CREATE_COMPLETE' ? same.executionStatus === 'AVAILABLE' : PENDING.has(same.status);
      if (reusable) {
        return { kind: 'created', changeSetId: same.changeSetId, stackId: input.stackId, reused: true };
      }
      await api.deleteChangeSet(same.changeSetId);
    }
  }
}

export type ChangeSetReadiness =
  | { readonly kind: 'ready'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'no-changes'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'failed'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'timed-out'; readonly changeSet: RosChangeSetDetail; readonly waitedMs: number };

export type ObtainedChangeSet =
  | { readonly kind: 'no-changes'; readonly reason: string }
  | { readonly kind: 'obtained'; readonly changeSetId: string; readonly stackId: string; readonly readiness: ChangeSetReadiness; readonly reused: boolean };

/** CreateChangeSet (or pick up the earlier run's) and wait until ROS has computed it. */
export async function obtainChangeSet(api: RosApi, input: CreateChangeSetInput, poll: PollSettings): Promise<ObtainedChangeSet> {
  const created = await createChangeSet(api, input);
  if (created.kind === 'no-changes') return created;
  const readiness = await waitForChangeSet(api, created.changeSetId, poll);
  return { kind: 'obtained', changeSetId: created.changeSetId, stackId: created.stackId, readiness, reused: created.reused };
}

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
