import { createHash } from 'node:crypto';
import { type CreateChangeSetInput, type PollSettings, pollUntil, type RosApi, type RosChangeSetDetail } from './ros-client';
import { AlibabaApiError } from '../../alibaba-api';
import { type RosTemplateFacts } from './stack-facts';

// Change sets: how they are named so a re-run finds its own, how they are made and waited for, and how their
// changes are shown to the person who confirms them.

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
  const params = Object.keys(input.parameters)
    .sort()
    .map((key) => [key, input.parameters[key]]);
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify(['ros-change-set/v1', input.stackName, input.type, input.base, input.replacementOption, input.templateBody, params]),
    )
    .digest('hex');
  const changeSetName = `${input.prefix}-${fingerprint.slice(0, 24)}`;
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
const NO_CHANGE_REASON =
  /completely same stack|\bno changes?\b(?!\s*set)|\bnot changed\b|didn't contain changes|does not contain (any )?changes|no updates are to be performed/i;

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
    } catch (error) {
      if (!(error instanceof AlibabaApiError)) throw error;
      if (error.apiCode === 'NotSupported' && isNoChangeReason(error.message)) return { kind: 'no-changes', reason: error.message };
      if (input.changeSetType !== 'UPDATE' || !input.stackId || error.kind !== 'client' || attempt > 1) throw error;
      const same = (await api.listChangeSets(input.stackId, input.changeSetName)).find(
        (changeSet) => changeSet.changeSetName === input.changeSetName,
      );
      if (!same) {
        if (!(await removeOwnLeftovers(api, input.stackId))) throw error;
        continue;
      }
      const reusable = same.status === 'CREATE_COMPLETE' ? same.executionStatus === 'AVAILABLE' : PENDING.has(same.status);
      if (reusable) {
        return { kind: 'created', changeSetId: same.changeSetId, stackId: input.stackId, reused: true };
      }
      await api.deleteChangeSet(same.changeSetId);
    }
  }
}

/** "You can associate up to 20 change sets with a stack" (ROS user guide, "Manage a change set", Limits). */
export const MAX_CHANGE_SETS_PER_STACK = 20;

/** The names this tool gives its change sets (`changeSetIdentity`): any prefix, then 24 hex digits. */
const OWN_CHANGE_SET = /^[A-Za-z][A-Za-z0-9_-]{0,63}-[0-9a-f]{24}$/;

/**
 * A stack at its change set limit refuses a new one (the error code is not documented). Change sets this tool left
 * (interrupted diffs and deploys) and that are not being executed are deleted to make room; others are not touched.
 * Returns whether anything was deleted.
 */
async function removeOwnLeftovers(api: RosApi, stackId: string): Promise<boolean> {
  const all = await api.listChangeSets(stackId);
  if (all.length < MAX_CHANGE_SETS_PER_STACK) return false;
  const leftovers = all.filter(
    (changeSet) => OWN_CHANGE_SET.test(changeSet.changeSetName) && changeSet.executionStatus !== 'EXECUTE_IN_PROGRESS',
  );
  for (const changeSet of leftovers) await api.deleteChangeSet(changeSet.changeSetId);
  return leftovers.length > 0;
}

export type ChangeSetReadiness =
  | { readonly kind: 'ready'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'no-changes'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'failed'; readonly changeSet: RosChangeSetDetail }
  | { readonly kind: 'timed-out'; readonly changeSet: RosChangeSetDetail; readonly waitedMs: number };

export type ObtainedChangeSet =
  | { readonly kind: 'no-changes'; readonly reason: string }
  | {
      readonly kind: 'obtained';
      readonly changeSetId: string;
      readonly stackId: string;
      readonly readiness: ChangeSetReadiness;
      readonly reused: boolean;
    };

/** CreateChangeSet (or pick up the earlier run's) and wait until ROS has computed it. */
export async function obtainChangeSet(api: RosApi, input: CreateChangeSetInput, poll: PollSettings): Promise<ObtainedChangeSet> {
  const created = await createChangeSet(api, input);
  if (created.kind === 'no-changes') return created;
  const readiness = await waitForChangeSet(api, created.changeSetId, poll);
  return { kind: 'obtained', changeSetId: created.changeSetId, stackId: created.stackId, readiness, reused: created.reused };
}

/** Waits until ROS has computed the change set, and says whether it can be executed. */
export async function waitForChangeSet(api: RosApi, changeSetId: string, poll: PollSettings): Promise<ChangeSetReadiness> {
  const {
    value: changeSet,
    timedOut,
    waitedMs,
  } = await pollUntil(async () => {
    const value = await api.getChangeSet(changeSetId);
    return { value, done: !PENDING.has(value.status) };
  }, poll);
  if (timedOut) return { kind: 'timed-out', changeSet, waitedMs };
  if (changeSet.status === 'CREATE_COMPLETE') return { kind: 'ready', changeSet };
  if (changeSet.status === 'CREATE_FAILED' && isNoChangeReason(changeSet.statusReason)) return { kind: 'no-changes', changeSet };
  return { kind: 'failed', changeSet };
}

/** One resource change of a ROS change set, reduced to what a reviewer needs. Never carries property values. */
export interface RosResourceChange {
  /** 'Add' | 'Modify' | 'Remove' (passed through if ROS ever reports another). */
  readonly action: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** ROS `Replacement` for Modify: 'True' (delete and re-create), 'Conditional', 'False'. */
  readonly replacement?: string;
  /** Names of the changed properties, from the change `Details`. */
  readonly properties: readonly string[];
}

export interface RosChangePreview {
  readonly stackName: string;
  readonly changeSetType: 'CREATE' | 'UPDATE';
  /** Absent when the preview was computed locally (stack not deployed yet). */
  readonly changeSetId?: string;
  readonly changes: readonly RosResourceChange[];
  /** No resource changes, but the template differs (outputs, descriptions, metadata). */
  readonly templateOnly: boolean;
  /** Human-readable rendering, one line per change. */
  readonly text: string;
}

/** Reads ROS change items (`{Type: 'Resource', ResourceChange: {...}}`, see "Data structures" of change sets). */
export function normalizeChanges(raw: ReadonlyArray<unknown>): RosResourceChange[] {
  return raw.map((item) => {
    const record = asRecord(item);
    const change = asRecord(record.ResourceChange ?? record);
    const details = Array.isArray(change.Details) ? change.Details : [];
    const properties = [
      ...new Set(
        details.map((detail) => asRecord(asRecord(detail).Target).Name).filter((name): name is string => typeof name === 'string'),
      ),
    ];
    return {
      action: nonEmptyString(change.Action) ?? 'Unknown',
      logicalId: nonEmptyString(change.LogicalResourceId) ?? '(unnamed)',
      resourceType: nonEmptyString(change.ResourceType) ?? 'Unknown',
      replacement: nonEmptyString(change.Replacement),
      properties,
    };
  });
}

/** Every resource as an Add: what a first deploy of this template would do. */
export function changesForNewStack(facts: RosTemplateFacts): RosResourceChange[] {
  return facts.resources.map((resource) => ({ action: 'Add', logicalId: resource.logicalId, resourceType: resource.type, properties: [] }));
}

export function isReplacement(change: RosResourceChange): boolean {
  return change.action === 'Modify' && (change.replacement === 'True' || change.replacement === 'Conditional');
}

export function buildPreview(args: Omit<RosChangePreview, 'text'>): RosChangePreview {
  return { ...args, text: renderPreview(args) };
}

const SYMBOL: Record<string, string> = { Add: '+', Modify: '~', Remove: '-' };

function renderPreview(preview: Omit<RosChangePreview, 'text'>): string {
  const replacements = preview.changes.filter(isReplacement).length;
  if (preview.changes.length === 0) {
    return preview.templateOnly
      ? `ROS stack '${preview.stackName}' (${preview.changeSetType}): no resource changes; the template's outputs or metadata change`
      : `ROS stack '${preview.stackName}' (${preview.changeSetType}): no changes`;
  }
  const header =
    `ROS stack '${preview.stackName}' (${preview.changeSetType}): ${preview.changes.length} resource change(s)` +
    (replacements > 0 ? `, ${replacements} replacement(s)` : '');
  const idWidth = Math.max(...preview.changes.map((change) => change.logicalId.length));
  const typeWidth = Math.max(...preview.changes.map((change) => change.resourceType.length));
  const lines = preview.changes.map((change) => {
    const replace =
      change.replacement === 'True' ? '  REPLACE (delete and re-create)' : change.replacement === 'Conditional' ? '  MAY REPLACE' : '';
    const props = change.properties.length > 0 ? `  [${change.properties.join(', ')}]` : '';
    return `  ${SYMBOL[change.action] ?? '?'} ${change.action.padEnd(6)} ${change.logicalId.padEnd(idWidth)}  ${change.resourceType.padEnd(typeWidth)}${replace}${props}`.trimEnd();
  });
  return [header, ...lines].join('\n');
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A change that deletes something: a removal, or a replacement (ROS deletes and re-creates the resource). */
export function isDestructive(changes: readonly RosResourceChange[]): boolean {
  return changes.some((change) => change.action === 'Remove' || isReplacement(change));
}
