import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { describeAwsError, isAccessDenied, isAwsError } from '../../aws/aws-errors';
import { S3AlicdnError } from '../../errors';
import {
  AWSCURRENT,
  AWSPREVIOUS,
  describeSecret,
  getSecretString,
  parseReaderKeySecret,
  putSecretString,
  readReaderKeyPair,
  SecretAccessError,
  SecretShapeError,
  SecretText,
  serializeReaderKeySecret,
  type ReaderKeyPair,
  type SecretsManagerSender,
} from './secrets';

/*
 * The signed mode's reader access key, its whole lifecycle as one state machine: the CDN signs origin requests with an
 * IAM access key of the stack's reader user, and the deploy command (never the stack) creates, stores, rotates and
 * retires that key. IAM lets a user hold two keys (IAM User Guide, "IAM and AWS STS quotas": access keys per user, 2;
 * a third CreateAccessKey fails with LimitExceeded), so a rotation overlaps the old and the new key.
 *
 * What a run looks at, every time, before it changes anything (`reconcileReaderKey`):
 *   - the user's keys (ListAccessKeys), the key in the secret's AWSCURRENT version ("stored"), and the key the CDN's
 *     `aws_s3_bucket` function holds ("held", read back through the CDN API, undefined before the CDN exists).
 * What it does with them, in this order:
 *   1. an Active key that is neither stored nor held is the orphan of a run that stopped between CreateAccessKey and
 *      storing it (its secret half exists nowhere): it is deleted, and the run says so.
 *   2. a stored key that IAM no longer has, or has Inactive, is replaced (repair), after freeing a slot if the user
 *      already has two keys, by deleting a key that is neither stored nor held (else the oldest dead one).
 *   3. `rotate` only: when the stored key is the held key and no other key is still Active, a new key is created and
 *      stored; when the stored key is not yet the held key, or the old key is still Active, the previous rotation is
 *      unfinished and is resumed instead (no third key).
 * Then the deploy pushes the stored key to the CDN, `confirmCdnHoldsReaderKey` proves through the CDN API that the CDN
 * holds it and that it is Active, and only then `retirePreviousReaderKeys` deactivates the other key (deleted on a
 * later run once the grace period has passed). An interrupted run leaves one of these states, and the next run
 * reads it and finishes the job.
 */

export type IamSender = Pick<IAMClient, 'send'>;

export interface AccessKeyInfo {
  readonly accessKeyId: string;
  readonly status: 'Active' | 'Inactive' | 'Expired';
  readonly createDate: Date;
}

/** A reader key step failed or refused; the message says what state the keys and the secret are in and what to run. */
export class ReaderKeyRotationError extends S3AlicdnError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('DEPLOY_FAILED', message, options);
  }
}

/**
 * IAM has no "deactivated at" field and access keys cannot be tagged, so the time a key was deactivated is kept as
 * a tag on its user, `<prefix><access key id>` = ISO time. That is what lets a later run honour the grace period.
 */
export const DEACTIVATED_AT_TAG_PREFIX = 'origin-reader-key-deactivated-at:';

export interface ReaderKeyRotationOptions {
  readonly iam: IamSender;
  readonly secretsManager: SecretsManagerSender;
  /** The reader IAM user whose keys the CDN signs with. */
  readonly userName: string;
  /** The reader key secret (ReaderSecretArn output). */
  readonly secretId: string;
}

export interface ReconcileReaderKeyOptions extends ReaderKeyRotationOptions {
  /** The access key id the CDN's `aws_s3_bucket` function holds now; undefined when the CDN has none (yet). */
  readonly cdnHeldAccessKeyId: string | undefined;
  /** `rotate`: end with a key newer than the one the CDN holds now (unless an unfinished rotation is resumed). */
  readonly rotate: boolean;
}

export interface ReconcileReaderKeyResult {
  /** The key now stored as AWSCURRENT: what the deploy must push to the CDN. */
  readonly accessKeyId: string;
  /** True when this run created (and stored) that key. */
  readonly created: boolean;
  /** What the run found and did, one sentence each (orphans deleted, slots freed, keys replaced, rotations resumed). */
  readonly actions: readonly string[];
}

/**
 * The one entry point of `deploy` (rotate false) and `rotate` (rotate true), run after the origin stack exists and
 * before the CDN stack is deployed. See the state machine at the top of this file.
 */
export async function reconcileReaderKey(options: ReconcileReaderKeyOptions): Promise<ReconcileReaderKeyResult> {
  const { iam, secretsManager, userName, secretId, cdnHeldAccessKeyId: held } = options;
  const actions: string[] = [];
  const stored = await readStoredPairIfUsable(secretsManager, secretId);
  const storedId = stored?.accessKeyId;
  // The previous key of a rotation (still held by the CDN, or waiting to be retired) is known to the secret too.
  const previousId = await readPreviousKeyId(secretsManager, secretId);
  let keys = await listAccessKeys(iam, userName);

  // 1. Orphans: only a crashed run makes an Active key that neither the secret nor the CDN knows.
  const known = new Set([storedId, previousId, held]);
  for (const orphan of keys.filter((key) => key.status === 'Active' && !known.has(key.accessKeyId))) {
    await deleteAccessKey(iam, userName, orphan.accessKeyId);
    actions.push(
      `Deleted key ${orphan.accessKeyId} of user ${userName}: it was active but neither stored in ${secretId} nor held by the CDN (left by an interrupted run; its secret half was never stored).`,
    );
  }
  keys = await listAccessKeys(iam, userName);

  const storedKey = keys.find((key) => key.accessKeyId === storedId);
  // 2. Repair: the secret must hold an Active key of the user.
  if (!storedKey || storedKey.status !== 'Active') {
    const why = !storedId
      ? `secret ${secretId} holds no key yet`
      : !storedKey
        ? `key ${storedId} in secret ${secretId} no longer exists in IAM`
        : `key ${storedId} in secret ${secretId} is ${storedKey.status}`;
    const created = await createAndStore(options, keys, held, actions);
    actions.push(`Created key ${created} for user ${userName} and stored it in ${secretId} (${why}).`);
    return { accessKeyId: created, created: true, actions };
  }
  if (!options.rotate) return { accessKeyId: storedKey.accessKeyId, created: false, actions };

  // 3. Rotation, or the rest of an unfinished one.
  if (held !== undefined && held !== storedKey.accessKeyId) {
    actions.push(
      `Resuming the unfinished rotation: key ${storedKey.accessKeyId} is stored but the CDN still holds ${held}; no new key created.`,
    );
    return { accessKeyId: storedKey.accessKeyId, created: false, actions };
  }
  const stillActive = keys.filter((key) => key.accessKeyId !== storedKey.accessKeyId && key.status === 'Active');
  if (stillActive.length > 0) {
    actions.push(
      `Resuming the unfinished rotation: the CDN holds ${storedKey.accessKeyId}, and ${stillActive.map((key) => key.accessKeyId).join(', ')} is still active, so it is retired now; no new key created.`,
    );
    return { accessKeyId: storedKey.accessKeyId, created: false, actions };
  }
  const created = await createAndStore(options, keys, held, actions);
  actions.push(
    `Created key ${created} for user ${userName} and stored it as AWSCURRENT of ${secretId}; ${storedKey.accessKeyId} stays active until the CDN holds the new key.`,
  );
  return { accessKeyId: created, created: true, actions };
}

/** Frees a slot if needed (never the stored Active key, never the held Active key), creates a key and stores it. */
async function createAndStore(
  options: ReconcileReaderKeyOptions,
  keys: readonly AccessKeyInfo[],
  held: string | undefined,
  actions: string[],
): Promise<string> {
  const { iam, secretsManager, userName, secretId } = options;
  if (keys.length >= 2) {
    const storedId = (await readStoredPairIfUsable(secretsManager, secretId))?.accessKeyId;
    const inUse = (key: AccessKeyInfo) => key.status === 'Active' && (key.accessKeyId === storedId || key.accessKeyId === held);
    const unknown = (key: AccessKeyInfo) => key.accessKeyId !== storedId && key.accessKeyId !== held;
    const oldestFirst = [...keys].sort((older, newer) => older.createDate.getTime() - newer.createDate.getTime());
    const victim = oldestFirst.find((key) => !inUse(key) && unknown(key)) ?? oldestFirst.find((key) => !inUse(key));
    if (!victim) {
      throw new ReaderKeyRotationError(
        `User ${userName} has ${keys.length} access keys (${keys.map(describeKey).join(', ')}), all in use by the secret ${secretId} or the CDN, and IAM allows two; refusing to delete one. Finish the deploy first.`,
      );
    }
    await deleteAccessKey(iam, userName, victim.accessKeyId);
    await clearDeactivationMarkers(iam, userName, [victim.accessKeyId]);
    actions.push(
      `Deleted ${victim.status.toLowerCase()} key ${victim.accessKeyId} of user ${userName} to make room for a new key (IAM allows two).`,
    );
  }
  const pair = await createAccessKey(iam, userName);
  try {
    // The token makes a retried write of the same key a no-op instead of a second version.
    await putSecretString(secretsManager, secretId, serializeReaderKeySecret(pair), `rotate-reader-key-${pair.accessKeyId}`);
  } catch (error) {
    // The new secret key exists nowhere else and cannot be fetched again, so the key is useless: remove it. (If this
    // run dies before getting here, the next run deletes it as an orphan.)
    const cleanup = await deleteAccessKey(iam, userName, pair.accessKeyId).then(
      () => `the new key ${pair.accessKeyId} was deleted again`,
      () => `the new key ${pair.accessKeyId} could not be deleted; the next run deletes it as an orphan`,
    );
    throw new ReaderKeyRotationError(`Storing the new reader key in secret ${secretId} failed (${(error as Error).message}); ${cleanup}.`, {
      cause: error,
    });
  }
  return pair.accessKeyId;
}

/**
 * The proof a `deploy` or `rotate` needs before it reports success (and before any key is retired): the CDN holds the
 * key the secret holds, and IAM has that key Active. `cdnHeldAccessKeyId` comes from the CDN API, not from a change
 * set's claim.
 */
export async function confirmCdnHoldsReaderKey(
  options: ReaderKeyRotationOptions & { readonly cdnHeldAccessKeyId: string | undefined },
): Promise<string> {
  const { iam, secretsManager, userName, secretId, cdnHeldAccessKeyId: held } = options;
  const stored = await readStoredPair(secretsManager, secretId);
  if (held !== stored.accessKeyId) {
    throw new ReaderKeyRotationError(
      `The CDN holds reader key ${held ?? '(none)'}, but secret ${secretId} holds ${stored.accessKeyId}: the CDN stack did not take the new key. Nothing was retired; run the deploy again.`,
    );
  }
  const key = (await listAccessKeys(iam, userName)).find((candidate) => candidate.accessKeyId === held);
  if (key?.status !== 'Active') {
    throw new ReaderKeyRotationError(
      `The CDN holds reader key ${held}, which user ${userName} has ${key ? key.status : 'deleted'}: every cache miss gets 403. Run the deploy again (it replaces the key).`,
    );
  }
  return held;
}

/** `destroy`: deletes every access key of the reader user, so that CloudFormation can delete the user. Re-runnable. */
export async function deleteAllReaderKeys(options: { readonly iam: IamSender; readonly userName: string }): Promise<string[]> {
  let keys: AccessKeyInfo[];
  try {
    keys = await listAccessKeys(options.iam, options.userName);
  } catch (error) {
    // The user is already gone (an earlier destroy got further): nothing to delete.
    if (isAwsError((error as { cause?: unknown }).cause, 'NoSuchEntity')) return [];
    throw error;
  }
  for (const key of keys) await deleteAccessKey(options.iam, options.userName, key.accessKeyId);
  return keys.map((key) => key.accessKeyId);
}

export interface RetirePreviousReaderKeysOptions extends ReaderKeyRotationOptions {
  /** How long a deactivated key is kept (for a rollback) before it is deleted. @default 24 hours */
  readonly gracePeriodMs?: number;
  readonly now?: () => Date;
  /**
   * The key the CDN holds, read back through the CDN API. `rotate` always passes it: nothing is retired unless the CDN
   * holds the stored key.
   */
  readonly cdnHeldAccessKeyId?: string;
}

export type ReaderKeyRetirement =
  | { readonly accessKeyId: string; readonly action: 'deactivated' | 'waiting'; readonly deleteAfter: Date }
  | { readonly accessKeyId: string; readonly action: 'deleted' };

export interface RetirePreviousReaderKeysResult {
  readonly keptAccessKeyId: string;
  readonly retired: readonly ReaderKeyRetirement[];
}

export const DEFAULT_READER_KEY_GRACE_MS = 24 * 60 * 60 * 1000;

export async function retirePreviousReaderKeys(options: RetirePreviousReaderKeysOptions): Promise<RetirePreviousReaderKeysResult> {
  const { iam, secretsManager, userName, secretId } = options;
  const graceMs = options.gracePeriodMs ?? DEFAULT_READER_KEY_GRACE_MS;
  const now = (options.now ?? (() => new Date()))();
  // Unlike creation, retiring must trust the secret: an unreadable one would mean retiring the CDN's only key.
  const stored = await readStoredPair(secretsManager, secretId);
  const keys = await listAccessKeys(iam, userName);
  const kept = keys.find((key) => key.accessKeyId === stored.accessKeyId);
  if (!kept) {
    throw new ReaderKeyRotationError(
      `Secret ${secretId} holds key ${stored.accessKeyId}, which user ${userName} does not have (keys: ${keys.map(describeKey).join(', ') || 'none'}). Refusing to retire anything; run createNextReaderKey and deploy first.`,
    );
  }
  if ('cdnHeldAccessKeyId' in options && options.cdnHeldAccessKeyId !== kept.accessKeyId) {
    throw new ReaderKeyRotationError(
      `The CDN holds key ${options.cdnHeldAccessKeyId ?? '(none)'}, not ${kept.accessKeyId} from secret ${secretId}. Refusing to retire anything; run the deploy again.`,
    );
  }
  if (kept.status !== 'Active') {
    throw new ReaderKeyRotationError(
      `Key ${kept.accessKeyId} in secret ${secretId} is ${kept.status}; retiring the others would leave the CDN without a working key. Re-activate it first: aws iam update-access-key --user-name ${userName} --access-key-id ${kept.accessKeyId} --status Active`,
    );
  }

  const markers = await readDeactivationMarkers(iam, userName);
  const retired: ReaderKeyRetirement[] = [];
  for (const key of keys) {
    if (key.accessKeyId === kept.accessKeyId) continue;
    const deactivatedAt = markers.get(key.accessKeyId);
    if (key.status === 'Active' || !deactivatedAt) {
      // Marker first: if we stop between the two calls, the next run still knows when the grace period began.
      await writeDeactivationMarker(iam, userName, key.accessKeyId, now);
      if (key.status === 'Active') await setAccessKeyStatus(iam, userName, key.accessKeyId, 'Inactive');
      retired.push({ accessKeyId: key.accessKeyId, action: 'deactivated', deleteAfter: new Date(now.getTime() + graceMs) });
    } else if (now.getTime() - deactivatedAt.getTime() >= graceMs) {
      await deleteAccessKey(iam, userName, key.accessKeyId);
      await clearDeactivationMarkers(iam, userName, [key.accessKeyId]);
      retired.push({ accessKeyId: key.accessKeyId, action: 'deleted' });
    } else {
      retired.push({ accessKeyId: key.accessKeyId, action: 'waiting', deleteAfter: new Date(deactivatedAt.getTime() + graceMs) });
    }
  }
  // Markers of keys that no longer exist (deleted by hand, or a run stopped between delete and untag).
  const present = new Set(keys.map((key) => key.accessKeyId));
  const stale = [...markers.keys()].filter((id) => !present.has(id) || id === kept.accessKeyId);
  await clearDeactivationMarkers(iam, userName, stale);
  return { keptAccessKeyId: kept.accessKeyId, retired };
}

export interface RollbackReaderKeyOptions extends ReaderKeyRotationOptions {
  /** The key to go back to; naming it makes a repeated rollback a no-op instead of a flip back. */
  readonly toAccessKeyId: string;
}

export interface RollbackReaderKeyResult {
  readonly changed: boolean;
  readonly accessKeyId: string;
  readonly message: string;
}

/**
 * Undoes createNextReaderKey while the previous key still exists: re-activates it and moves the secret's
 * AWSCURRENT label back to the version that holds it. The deploy then pushes it to the CDN again.
 */
export async function rollbackReaderKey(options: RollbackReaderKeyOptions): Promise<RollbackReaderKeyResult> {
  const { iam, secretsManager, userName, secretId, toAccessKeyId } = options;
  const keys = await listAccessKeys(iam, userName);
  const target = keys.find((key) => key.accessKeyId === toAccessKeyId);
  if (!target) {
    throw new ReaderKeyRotationError(
      `Cannot roll back to key ${toAccessKeyId}: user ${userName} no longer has it (it was deleted after its grace period). Create a new key with createNextReaderKey instead.`,
    );
  }
  const current = await readReaderKeyPair({ secretsManager, secretId, versionStage: AWSCURRENT });
  if (target.status !== 'Active') await setAccessKeyStatus(iam, userName, toAccessKeyId, 'Active');
  await clearDeactivationMarkers(iam, userName, [toAccessKeyId]);
  if (current.accessKeyId === toAccessKeyId) {
    return {
      changed: target.status !== 'Active',
      accessKeyId: toAccessKeyId,
      message: `Secret ${secretId} already holds key ${toAccessKeyId}; it is active.`,
    };
  }

  const previous = await readReaderKeyPair({ secretsManager, secretId, versionStage: AWSPREVIOUS });
  if (previous.accessKeyId !== toAccessKeyId) {
    throw new ReaderKeyRotationError(
      `Cannot roll back to key ${toAccessKeyId}: secret ${secretId} holds ${current.accessKeyId} (AWSCURRENT) and ${previous.accessKeyId} (AWSPREVIOUS); only the AWSPREVIOUS key can be restored.`,
    );
  }
  try {
    await secretsManager.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: AWSCURRENT,
        MoveToVersionId: previous.versionId,
        RemoveFromVersionId: current.versionId,
      }),
    );
  } catch (error) {
    const reason = isAccessDenied(error)
      ? 'access denied; the deploying identity needs secretsmanager:UpdateSecretVersionStage'
      : describeAwsError(error);
    throw new ReaderKeyRotationError(`Moving AWSCURRENT of secret ${secretId} back to key ${toAccessKeyId} failed: ${reason}.`, {
      cause: error,
    });
  }
  return {
    changed: true,
    accessKeyId: toAccessKeyId,
    message: `Secret ${secretId} holds key ${toAccessKeyId} again (AWSCURRENT); deploy to push it to the CDN, then retire ${current.accessKeyId}.`,
  };
}

/** The key id in the secret's AWSPREVIOUS version, if it has a readable one. */
async function readPreviousKeyId(secretsManager: SecretsManagerSender, secretId: string): Promise<string | undefined> {
  try {
    return (await readReaderKeyPair({ secretsManager, secretId, versionStage: AWSPREVIOUS })).accessKeyId;
  } catch (error) {
    if (error instanceof SecretAccessError || error instanceof SecretShapeError) return undefined;
    throw error;
  }
}

async function readStoredPair(secretsManager: SecretsManagerSender, secretId: string): Promise<ReaderKeyPair> {
  const stored = await getSecretString(secretsManager, secretId);
  return parseReaderKeySecret(stored.secretString, `Secret ${secretId}`);
}

/**
 * The pair in the secret, or undefined when there is none yet: a secret created empty or with a generated
 * placeholder (e.g. by the stack) is simply overwritten by the first key.
 */
async function readStoredPairIfUsable(secretsManager: SecretsManagerSender, secretId: string): Promise<ReaderKeyPair | undefined> {
  const description = await describeSecret(secretsManager, secretId);
  if (!description) {
    throw new SecretAccessError(`Secret ${secretId} does not exist; deploy the origin stack first (it creates the reader key secret).`);
  }
  if (!description.hasCurrentVersion) return undefined;
  try {
    return await readStoredPair(secretsManager, secretId);
  } catch (error) {
    if (error instanceof SecretShapeError) return undefined;
    throw error;
  }
}

function describeKey(key: AccessKeyInfo): string {
  return `${key.accessKeyId} ${key.status}, created ${key.createDate.toISOString()}`;
}

// The IAM calls turn every SDK failure into a ReaderKeyRotationError that names the permission the deploy lacks.

async function listAccessKeys(iam: IamSender, userName: string): Promise<AccessKeyInfo[]> {
  const keys: AccessKeyInfo[] = [];
  let marker: string | undefined;
  do {
    const page = await iamCall(
      () => iam.send(new ListAccessKeysCommand({ UserName: userName, Marker: marker })),
      'ListAccessKeys',
      userName,
    );
    for (const key of page.AccessKeyMetadata ?? []) {
      if (!key.AccessKeyId) continue;
      keys.push({
        accessKeyId: key.AccessKeyId,
        status: (key.Status ?? 'Active') as AccessKeyInfo['status'],
        createDate: key.CreateDate ?? new Date(0),
      });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return keys;
}

async function createAccessKey(iam: IamSender, userName: string): Promise<ReaderKeyPair> {
  const response = await iamCall(() => iam.send(new CreateAccessKeyCommand({ UserName: userName })), 'CreateAccessKey', userName);
  const key = response.AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) {
    throw new ReaderKeyRotationError(`IAM CreateAccessKey for user ${userName} returned no key pair.`);
  }
  return { accessKeyId: key.AccessKeyId, secretAccessKey: new SecretText(key.SecretAccessKey) };
}

async function setAccessKeyStatus(iam: IamSender, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
  await iamCall(
    () => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status })),
    'UpdateAccessKey',
    userName,
  );
}

async function deleteAccessKey(iam: IamSender, userName: string, accessKeyId: string): Promise<void> {
  try {
    await iamCall(
      () => iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId })),
      'DeleteAccessKey',
      userName,
    );
  } catch (error) {
    // Already gone (an interrupted earlier run): the goal state is reached.
    if (!isAwsError((error as { cause?: unknown }).cause, 'NoSuchEntity')) throw error;
  }
}

/** Deactivation times recorded on the user, by access key id. */
async function readDeactivationMarkers(iam: IamSender, userName: string): Promise<Map<string, Date>> {
  const markers = new Map<string, Date>();
  let marker: string | undefined;
  do {
    const page = await iamCall(() => iam.send(new ListUserTagsCommand({ UserName: userName, Marker: marker })), 'ListUserTags', userName);
    for (const tag of page.Tags ?? []) {
      if (!tag.Key?.startsWith(DEACTIVATED_AT_TAG_PREFIX)) continue;
      const at = new Date(tag.Value ?? '');
      // An unreadable marker restarts the grace period rather than allowing an early delete.
      if (!Number.isNaN(at.getTime())) markers.set(tag.Key.slice(DEACTIVATED_AT_TAG_PREFIX.length), at);
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return markers;
}

async function writeDeactivationMarker(iam: IamSender, userName: string, accessKeyId: string, at: Date): Promise<void> {
  const tag = { Key: `${DEACTIVATED_AT_TAG_PREFIX}${accessKeyId}`, Value: at.toISOString() };
  await iamCall(() => iam.send(new TagUserCommand({ UserName: userName, Tags: [tag] })), 'TagUser', userName);
}

async function clearDeactivationMarkers(iam: IamSender, userName: string, accessKeyIds: readonly string[]): Promise<void> {
  if (accessKeyIds.length === 0) return;
  const keys = accessKeyIds.map((id) => `${DEACTIVATED_AT_TAG_PREFIX}${id}`);
  await iamCall(() => iam.send(new UntagUserCommand({ UserName: userName, TagKeys: keys })), 'UntagUser', userName);
}

async function iamCall<T>(call: () => Promise<T>, action: string, userName: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const reason = isAccessDenied(error)
      ? `access denied; the deploying identity needs iam:${action} on user ${userName}`
      : isAwsError(error, 'NoSuchEntity')
        ? `IAM reports NoSuchEntity (does user ${userName} exist?)`
        : isAwsError(error, 'LimitExceeded')
          ? 'IAM reports LimitExceeded (a user holds at most two access keys)'
          : describeAwsError(error);
    throw new ReaderKeyRotationError(`IAM ${action} for user ${userName} failed: ${reason}.`, { cause: error });
  }
}
