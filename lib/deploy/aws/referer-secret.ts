import { CreateSecretCommand, GetRandomPasswordCommand } from '@aws-sdk/client-secrets-manager';
import { describeAwsError, isAccessDenied, isAwsError } from '../../aws/aws-errors';
import { REFERER_SECRET_FIELDS } from '../../origin-access/referer-secret';
import {
  assertRefererSecretValue,
  describeSecret,
  getSecretString,
  MAX_REFERER_SECRET_LENGTH,
  MIN_REFERER_SECRET_LENGTH,
  putSecretString,
  readRefererSecret,
  SecretShapeError,
  serializeRefererSecret,
  type SecretsManagerSender,
  type SecretText,
} from './secrets';

/**
 * Zero-downtime rotation of the referer secret ({"current", "previous"}, see lib/origin-access/referer-secret.ts). Order matters:
 *   1. beginRefererRotation: current = new value, previous = old value.
 *   2. deploy the origin stack: the bucket policy now accepts both values.
 *   3. deploy the CDN stack: the CDN sends the new value (the old one still works meanwhile).
 *   4. finishRefererRotation: previous = current.
 *   5. deploy the origin stack again: the policy accepts only the new value.
 * Each returns the new secret VersionId; pin the policy's dynamic references to it, because CloudFormation does not
 * re-resolve a reference whose text did not change.
 */
export interface RefererSecretOptions {
  readonly secretsManager: SecretsManagerSender;
  /** ARN (RefererSecretArn output) or name. */
  readonly secretId: string;
}

export interface RefererRotationResult {
  readonly changed: boolean;
  readonly versionId: string;
  readonly message: string;
}

export const DEFAULT_REFERER_SECRET_LENGTH = 64;

export async function beginRefererRotation(options: RefererSecretOptions & { readonly length?: number }): Promise<RefererRotationResult> {
  const { secretsManager, secretId } = options;
  const stored = await readRefererSecret({ secretsManager, secretId });
  if (stored.rotating) {
    return {
      changed: false,
      versionId: stored.versionId,
      message: `Secret ${secretId} is already mid-rotation (previous differs from current); deploy, then finishRefererRotation.`,
    };
  }
  const next = await generateRefererSecret(secretsManager, options.length ?? DEFAULT_REFERER_SECRET_LENGTH);
  if (next.equals(stored.current)) throw new SecretShapeError('GetRandomPassword returned the current referer secret again; retry.');
  const versionId = await putSecretString(secretsManager, secretId, serializeRefererSecret({ current: next, previous: stored.current }));
  return {
    changed: true,
    versionId,
    message: `Secret ${secretId} has a new "${REFERER_SECRET_FIELDS.current}" and keeps the old one as "${REFERER_SECRET_FIELDS.previous}" (version ${versionId}). Deploy the origin stack, then the CDN stack.`,
  };
}

export async function finishRefererRotation(options: RefererSecretOptions): Promise<RefererRotationResult> {
  const { secretsManager, secretId } = options;
  const stored = await readRefererSecret({ secretsManager, secretId });
  if (!stored.rotating) {
    return { changed: false, versionId: stored.versionId, message: `Secret ${secretId} is not mid-rotation; nothing to finish.` };
  }
  const versionId = await putSecretString(
    secretsManager,
    secretId,
    serializeRefererSecret({ current: stored.current, previous: stored.current }),
  );
  return {
    changed: true,
    versionId,
    message: `Secret ${secretId} no longer accepts the old value (version ${versionId}). Deploy the origin stack to drop it from the bucket policy.`,
  };
}

export type EnsureRefererSecretAction = 'created' | 'initialized' | 'normalized' | 'unchanged';

export interface EnsureRefererSecretResult {
  readonly arn: string;
  readonly action: EnsureRefererSecretAction;
}

/**
 * Makes sure the referer secret exists in the canonical shape before the first deploy. CloudFormation's generated
 * secrets can fill only one JSON field, and a bucket policy that references a missing `previous` field fails to
 * deploy, so the deploy preflight creates the secret (or completes a `{"current"}`-only one) instead.
 */
export async function ensureRefererSecret(options: {
  readonly secretsManager: SecretsManagerSender;
  readonly secretName: string;
  readonly description?: string;
  readonly length?: number;
}): Promise<EnsureRefererSecretResult> {
  const { secretsManager, secretName } = options;
  const length = options.length ?? DEFAULT_REFERER_SECRET_LENGTH;
  const description = await describeSecret(secretsManager, secretName);
  if (!description) {
    const value = await generateRefererSecret(secretsManager, length);
    const arn = await createSecret(
      secretsManager,
      secretName,
      serializeRefererSecret({ current: value, previous: value }),
      options.description,
    );
    if (arn) return { arn, action: 'created' };
    // Someone created it between our describe and create: check what they stored.
    return ensureRefererSecret(options);
  }
  if (!description.hasCurrentVersion) {
    const value = await generateRefererSecret(secretsManager, length);
    await putSecretString(secretsManager, secretName, serializeRefererSecret({ current: value, previous: value }));
    return { arn: description.arn, action: 'initialized' };
  }
  try {
    await readRefererSecret({ secretsManager, secretId: secretName });
    return { arn: description.arn, action: 'unchanged' };
  } catch (error) {
    if (!(error instanceof SecretShapeError)) throw error;
    const current = await readCurrentOnly(secretsManager, secretName);
    if (!current) throw error;
    await putSecretString(secretsManager, secretName, serializeRefererSecret({ current, previous: current }));
    return { arn: description.arn, action: 'normalized' };
  }
}

async function readCurrentOnly(secretsManager: SecretsManagerSender, secretId: string): Promise<SecretText | undefined> {
  const { secretString } = await getSecretString(secretsManager, secretId);
  let fields: unknown;
  try {
    fields = JSON.parse(secretString);
  } catch {
    return undefined;
  }
  if (typeof fields !== 'object' || fields === null) return undefined;
  const record = fields as Record<string, unknown>;
  const current = record[REFERER_SECRET_FIELDS.current];
  if (typeof current !== 'string' || record[REFERER_SECRET_FIELDS.previous] !== undefined) return undefined;
  return assertRefererSecretValue(current, `Secret ${secretId}: field "${REFERER_SECRET_FIELDS.current}"`);
}

async function generateRefererSecret(secretsManager: SecretsManagerSender, length: number): Promise<SecretText> {
  if (!Number.isInteger(length) || length < MIN_REFERER_SECRET_LENGTH || length > MAX_REFERER_SECRET_LENGTH) {
    throw new SecretShapeError(
      `Referer secret length ${length} is not allowed; use an integer from ${MIN_REFERER_SECRET_LENGTH} to ${MAX_REFERER_SECRET_LENGTH}.`,
    );
  }
  let response;
  try {
    // Letters and digits only: the value is an HTTP header and a string inside a JSON policy.
    response = await secretsManager.send(
      new GetRandomPasswordCommand({
        PasswordLength: length,
        ExcludePunctuation: true,
        IncludeSpace: false,
        RequireEachIncludedType: true,
      }),
    );
  } catch (error) {
    const reason = isAccessDenied(error)
      ? 'access denied; the deploying identity needs secretsmanager:GetRandomPassword'
      : describeAwsError(error);
    throw new SecretShapeError(`Generating a referer secret failed: ${reason}.`);
  }
  return assertRefererSecretValue(response.RandomPassword ?? '', 'The generated referer secret');
}

async function createSecret(
  secretsManager: SecretsManagerSender,
  name: string,
  secretString: string,
  description?: string,
): Promise<string | undefined> {
  try {
    const response = await secretsManager.send(
      new CreateSecretCommand({ Name: name, SecretString: secretString, Description: description }),
    );
    return response.ARN ?? name;
  } catch (error) {
    if (isAwsError(error, 'ResourceExists')) return undefined;
    const reason = isAccessDenied(error)
      ? 'access denied; the deploying identity needs secretsmanager:CreateSecret'
      : describeAwsError(error);
    throw new SecretShapeError(`Creating secret ${name} failed: ${reason}.`);
  }
}
