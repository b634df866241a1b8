import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { describeAwsError, isAccessDenied, isAwsError } from './aws-errors';

export type SecretsManagerSender = Pick<SecretsManagerClient, 'send'>;

export interface StoredSecretString {
  readonly secretString: string;
  readonly versionId: string;
}

/**
 * Raised for any Secrets Manager failure; the message names the secret and the permission, never a value
 * (the SDK never puts secret values in error messages, and we add none).
 */
export class SecretAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretAccessError';
  }
}

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';

export async function getSecretString(
  secretsManager: SecretsManagerSender,
  secretId: string,
  versionStage: string = AWSCURRENT,
): Promise<StoredSecretString> {
  let response;
  try {
    response = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: versionStage }));
  } catch (error) {
    throw translate(error, secretId, 'GetSecretValue', `read the ${versionStage} version of`);
  }
  if (typeof response.SecretString !== 'string') {
    throw new SecretAccessError(`Secret ${secretId} (${versionStage}) has no SecretString (binary secrets are not supported); expected a JSON string.`);
  }
  if (!response.VersionId) {
    throw new SecretAccessError(`Secret ${secretId} (${versionStage}): Secrets Manager returned no VersionId.`);
  }
  return { secretString: response.SecretString, versionId: response.VersionId };
}

/** Writes a new version and makes it AWSCURRENT; Secrets Manager moves AWSPREVIOUS to the version it replaces. */
export async function putSecretString(
  secretsManager: SecretsManagerSender,
  secretId: string,
  secretString: string,
  clientRequestToken?: string,
): Promise<string> {
  try {
    const response = await secretsManager.send(
      new PutSecretValueCommand({ SecretId: secretId, SecretString: secretString, ClientRequestToken: clientRequestToken }),
    );
    if (!response.VersionId) throw new SecretAccessError(`Secret ${secretId}: PutSecretValue returned no VersionId.`);
    return response.VersionId;
  } catch (error) {
    if (error instanceof SecretAccessError) throw error;
    throw translate(error, secretId, 'PutSecretValue', 'write a new version of');
  }
}

export interface SecretDescription {
  readonly arn: string;
  readonly hasCurrentVersion: boolean;
}

/** Existence and state before we change anything, so a wrong id fails before an access key is created. */
export async function describeSecret(secretsManager: SecretsManagerSender, secretId: string): Promise<SecretDescription | undefined> {
  let response;
  try {
    response = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFound')) return undefined;
    throw translate(error, secretId, 'DescribeSecret', 'describe');
  }
  if (response.DeletedDate) {
    throw new SecretAccessError(
      `Secret ${secretId} is scheduled for deletion; restore it first: aws secretsmanager restore-secret --secret-id ${secretId}`,
    );
  }
  const stages = Object.values(response.VersionIdsToStages ?? {}).flat();
  return { arn: response.ARN ?? secretId, hasCurrentVersion: stages.includes(AWSCURRENT) };
}

function translate(error: unknown, secretId: string, action: string, verb: string): SecretAccessError {
  if (isAccessDenied(error)) {
    return new SecretAccessError(
      `Access denied trying to ${verb} secret ${secretId}: the deploying identity needs secretsmanager:${action} on it (and kms:Decrypt/kms:GenerateDataKey if it uses a customer managed KMS key).`,
    );
  }
  if (isAwsError(error, 'ResourceNotFound')) {
    return new SecretAccessError(`Cannot ${verb} secret ${secretId}: the secret or that version does not exist.`);
  }
  if (isAwsError(error, 'DecryptionFailure') || isAwsError(error, 'EncryptionFailure')) {
    return new SecretAccessError(`Cannot ${verb} secret ${secretId}: KMS refused (${describeAwsError(error)}); the deploying identity needs kms:Decrypt/kms:GenerateDataKey on the secret's key.`);
  }
  return new SecretAccessError(`Cannot ${verb} secret ${secretId}: ${describeAwsError(error)}`);
}
