import { parseReaderKeySecret, parseRefererSecret, type ReaderKeyPair, type RefererSecretValues } from './secret-shapes';
import { AWSCURRENT, getSecretString, type SecretsManagerSender } from './secrets-manager-io';

export interface ReadOriginSecretOptions {
  readonly secretsManager: SecretsManagerSender;
  /** ARN (preferred, e.g. the ReaderSecretArn output) or name. */
  readonly secretId: string;
  /** @default 'AWSCURRENT' */
  readonly versionStage?: string;
}

export type StoredReaderKeyPair = ReaderKeyPair & { readonly versionId: string };

export type StoredRefererSecret = RefererSecretValues & {
  readonly versionId: string;
  /** True between beginRefererRotation and finishRefererRotation. */
  readonly rotating: boolean;
};

/** The reader's access key pair (signed mode), for the CDN's origin-signing function. */
export async function readReaderKeyPair(options: ReadOriginSecretOptions): Promise<StoredReaderKeyPair> {
  const stage = options.versionStage ?? AWSCURRENT;
  const stored = await getSecretString(options.secretsManager, options.secretId, stage);
  const pair = parseReaderKeySecret(stored.secretString, `Secret ${options.secretId} (${stage})`);
  return { ...pair, versionId: stored.versionId };
}

/** The referer secret (referer-secret mode): `current` goes to the CDN, the bucket policy accepts both. */
export async function readRefererSecret(options: ReadOriginSecretOptions): Promise<StoredRefererSecret> {
  const stage = options.versionStage ?? AWSCURRENT;
  const stored = await getSecretString(options.secretsManager, options.secretId, stage);
  const values = parseRefererSecret(stored.secretString, `Secret ${options.secretId} (${stage})`);
  return { ...values, versionId: stored.versionId, rotating: !values.current.equals(values.previous) };
}
