import {
  clearDeactivationMarkers,
  createAccessKey,
  deleteAccessKey,
  listAccessKeys,
  readDeactivationMarkers,
  ReaderKeyRotationError,
  setAccessKeyStatus,
  writeDeactivationMarker,
  type AccessKeyInfo,
  type IamSender,
} from './iam-access-keys';
import { parseReaderKeySecret, serializeReaderKeySecret, SecretShapeError, type ReaderKeyPair } from './secret-shapes';
import { describeSecret, getSecretString, putSecretString, SecretAccessError, type SecretsManagerSender } from './secrets-manager-io';

/**
 * Zero-downtime rotation of the signed-mode reader key. IAM lets a user hold two keys, so the flow is:
 *   1. createNextReaderKey: a second key is created and stored as the secret's new AWSCURRENT version. The old key
 *      stays Active in IAM, and its pair stays readable as the secret's AWSPREVIOUS version (Secrets Manager moves
 *      that label automatically), which is what rollbackReaderKey restores.
 *   2. the deploy pushes AWSCURRENT to the CDN.
 *   3. retirePreviousReaderKeys, once the CDN config is live: every other key is deactivated, and deleted on a later
 *      run once the grace period has passed. An inactive key can still be re-activated for a rollback.
 * Each step reads the state it acts on first, so running it again after an interruption finishes the job.
 */
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
    const newest = [...keys].sort((a, b) => b.createDate.getTime() - a.createDate.getTime())[0];
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
      () => `the new key ${pair.accessKeyId} could not be deleted; delete it: aws iam delete-access-key --user-name ${userName} --access-key-id ${pair.accessKeyId}`,
    );
    throw new ReaderKeyRotationError(`Storing the new reader key in secret ${secretId} failed (${(error as Error).message}); ${cleanup}.`, { cause: error });
  }
  const others = otherKeyIds(keys, pair.accessKeyId);
  return {
    created: true,
    accessKeyId: pair.accessKeyId,
    previousAccessKeyIds: others,
    message: `Created key ${pair.accessKeyId} for user ${userName} and stored it as AWSCURRENT of ${secretId}.` +
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

