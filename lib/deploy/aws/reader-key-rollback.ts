import { UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { describeAwsError, isAccessDenied } from './aws-errors';
import { clearDeactivationMarkers, listAccessKeys, ReaderKeyRotationError, setAccessKeyStatus } from './iam-access-keys';
import { readReaderKeyPair } from './origin-secrets';
import type { ReaderKeyRotationOptions } from './reader-key-rotation';
import { AWSCURRENT, AWSPREVIOUS } from './secrets-manager-io';

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
    return { changed: target.status !== 'Active', accessKeyId: toAccessKeyId, message: `Secret ${secretId} already holds key ${toAccessKeyId}; it is active.` };
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
    const reason = isAccessDenied(error) ? 'access denied; the deploying identity needs secretsmanager:UpdateSecretVersionStage' : describeAwsError(error);
    throw new ReaderKeyRotationError(`Moving AWSCURRENT of secret ${secretId} back to key ${toAccessKeyId} failed: ${reason}.`, { cause: error });
  }
  return {
    changed: true,
    accessKeyId: toAccessKeyId,
    message: `Secret ${secretId} holds key ${toAccessKeyId} again (AWSCURRENT); deploy to push it to the CDN, then retire ${current.accessKeyId}.`,
  };
}
