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
 * The signed mode's reader access key, its whole lifecycle in one module: the CDN signs origin requests with an IAM
 * access key of the stack's reader user, and the deploy command (never the stack) creates, stores, rotates and
 * retires that key. IAM lets a user hold two keys, so rotation is zero-downtime:
 *   0. ensureReaderKey, every deploy: the secret holds an Active key of the user (the first deploy creates it).
 *   1. createNextReaderKey: a second key is created and stored as the secret's new AWSCURRENT version. The old key
 *      stays Active in IAM, and its pair stays readable as the secret's AWSPREVIOUS version (Secrets Manager moves
 *      that label automatically), which is what rollbackReaderKey restores.
 *   2. the deploy pushes AWSCURRENT to the CDN.
 *   3. retirePreviousReaderKeys, once the CDN config is live: every other key is deactivated, and deleted on a later
 *      run once the grace period has passed. An inactive key can still be re-activated for a rollback.
 * Each step reads the state it acts on first, so running it again after an interruption finishes the job.
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

export interface CreateNextReaderKeyResult {
  /** False when an earlier, interrupted run had already created and stored the newer key. */
  readonly created: boolean;
  /** The key now stored as AWSCURRENT, which the deploy must push to the CDN. */
  readonly accessKeyId: string;
  /** Keys the user still holds besides the current one; retire them once the CDN uses the new key. */
  readonly previousAccessKeyIds: readonly string[];
  readonly message: string;
}

export async function createNextReaderKey(options: ReaderKeyRotationOptions): Promise<CreateNextReaderKeyResult> {
  const { iam, secretsManager, userName, secretId } = options;
  const stored = await readStoredPairIfUsable(secretsManager, secretId);
  const keys = await listAccessKeys(iam, userName);
  const storedId = stored?.accessKeyId;

  if (keys.length >= 2) {
    const newest = [...keys].sort((older, newer) => newer.createDate.getTime() - older.createDate.getTime())[0];
    if (keys.length === 2 && storedId === newest.accessKeyId) {
      const others = otherKeyIds(keys, storedId);
      return {
        created: false,
        accessKeyId: storedId,
        previousAccessKeyIds: others,
        message: `Secret ${secretId} already holds the newer key ${storedId} of user ${userName}; no key created. Deploy it, then retire ${others.join(', ')}.`,
      };
    }
    const unstored = keys.filter((key) => key.accessKeyId !== storedId);
    if (storedId && unstored.length === 1 && unstored[0] === newest) {
      throw new ReaderKeyRotationError(
        `User ${userName} has key ${newest.accessKeyId}, newer than the key ${storedId} in secret ${secretId}, that was never stored ` +
          `(an interrupted createNextReaderKey?). Its secret cannot be recovered; delete it and run again: ` +
          `aws iam delete-access-key --user-name ${userName} --access-key-id ${newest.accessKeyId}`,
      );
    }
    throw new ReaderKeyRotationError(
      `User ${userName} already has ${keys.length} access keys (${keys.map(describeKey).join(', ')}) and IAM allows two; ` +
        `the secret ${secretId} holds ${storedId ?? 'no valid key'}. Refusing to create another. ` +
        `Run retirePreviousReaderKeys (it deactivates and later deletes every key except the one in the secret), or delete an unused key: ` +
        `aws iam delete-access-key --user-name ${userName} --access-key-id <id>`,
    );
  }

  const pair = await createAccessKey(iam, userName);
  try {
    // The token makes a retried write of the same key a no-op instead of a second version.
    await putSecretString(secretsManager, secretId, serializeReaderKeySecret(pair), `rotate-reader-key-${pair.accessKeyId}`);
  } catch (error) {
    // The new secret key exists nowhere else and cannot be fetched again, so the key is useless: remove it.
    const cleanup = await deleteAccessKey(iam, userName, pair.accessKeyId).then(
      () => `the new key ${pair.accessKeyId} was deleted again`,
      () =>
        `the new key ${pair.accessKeyId} could not be deleted; delete it: aws iam delete-access-key --user-name ${userName} --access-key-id ${pair.accessKeyId}`,
    );
    throw new ReaderKeyRotationError(`Storing the new reader key in secret ${secretId} failed (${(error as Error).message}); ${cleanup}.`, {
      cause: error,
    });
  }
  const others = otherKeyIds(keys, pair.accessKeyId);
  return {
    created: true,
    accessKeyId: pair.accessKeyId,
    previousAccessKeyIds: others,
    message:
      `Created key ${pair.accessKeyId} for user ${userName} and stored it as AWSCURRENT of ${secretId}.` +
      (others.length ? ` Previous key ${others.join(', ')} stays active until retirePreviousReaderKeys.` : ''),
  };
}

export interface RetirePreviousReaderKeysOptions extends ReaderKeyRotationOptions {
  /** How long a deactivated key is kept (for a rollback) before it is deleted. @default 24 hours */
  readonly gracePeriodMs?: number;
  readonly now?: () => Date;
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

export interface EnsureReaderKeyOptions {
  readonly iam: IamSender;
  readonly secretsManager: SecretsManagerSender;
  readonly userName: string;
  readonly secretId: string;
}

/**
 * signed mode, every deploy: makes sure the reader secret holds a key pair that IAM has as an Active key of the reader
 * user. On the first deploy the secret holds the stack's placeholder, so the first key is created here; afterwards
 * this changes nothing (rotation is the explicit `rotate` command). Safe to re-run after an interruption: a key that
 * was created but not stored is detected by createNextReaderKey.
 */
export async function ensureReaderKey(options: EnsureReaderKeyOptions): Promise<{ created: boolean; accessKeyId: string }> {
  let storedKeyId: string | undefined;
  try {
    storedKeyId = (await readReaderKeyPair({ secretsManager: options.secretsManager, secretId: options.secretId })).accessKeyId;
  } catch (error) {
    if (!(error instanceof SecretShapeError)) throw error;
  }
  if (storedKeyId) {
    const keys = await listAccessKeys(options.iam, options.userName);
    if (keys.some((key) => key.accessKeyId === storedKeyId && key.status === 'Active')) return { created: false, accessKeyId: storedKeyId };
  }
  const next = await createNextReaderKey(options);
  return { created: next.created, accessKeyId: next.accessKeyId };
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

function otherKeyIds(keys: readonly AccessKeyInfo[], keptId: string): string[] {
  return keys.filter((key) => key.accessKeyId !== keptId).map((key) => key.accessKeyId);
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
