import { listAccessKeys, type IamSender } from './iam-access-keys';
import { readReaderKeyPair } from './origin-secrets';
import { createNextReaderKey } from './reader-key-rotation';
import { SecretShapeError } from './secret-shapes';
import type { SecretsManagerSender } from './secrets-manager-io';

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
