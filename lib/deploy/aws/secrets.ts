import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { describeAwsError, isAccessDenied, isAwsError } from '../../aws/aws-errors';
import { REFERER_SECRET_FIELDS } from '../../origin-access/referer-secret';
import { READER_KEY_SECRET_FIELDS } from '../../origin-access/secret-names';
import { S3AlicdnError } from '../../errors';

/*
 * The origin secrets as the deploy command handles them: a value wrapper that keeps them out of every output, their
 * JSON shapes, Secrets Manager reads and writes, and the stored reader key pair and referer secret. One module, so
 * that a secret value is only ever created, parsed or revealed here. Secret and field names are shared with the
 * origin stack and so live one layer down, in lib/origin-access (secret-names.ts, referer-secret.ts).
 */

export const REDACTED = '[redacted]';

/**
 * A secret string that does not print itself. String conversion, template literals, JSON.stringify and
 * util.inspect (console.log, jest diffs, error causes) all see `[redacted]`; only `reveal()` returns the value,
 * so every place that really needs it is greppable.
 */
export class SecretText {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  reveal(): string {
    return this.#value;
  }

  /** Compares without revealing, in constant time for equal lengths. */
  equals(other: SecretText): boolean {
    const mine = Buffer.from(this.#value, 'utf8');
    const theirs = Buffer.from(other.#value, 'utf8');
    return mine.length === theirs.length && timingSafeEqual(mine, theirs);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `SecretText ${REDACTED}`;
  }
}

export const ACCESS_KEY_ID_PATTERN = /^AKIA[0-9A-Z]{16}$/;
const SECRET_ACCESS_KEY_PATTERN = /^[A-Za-z0-9/+]{40}$/;
export const MIN_REFERER_SECRET_LENGTH = 32;
export const MAX_REFERER_SECRET_LENGTH = 256;
// Visible ASCII except quote and backslash: it travels as an HTTP header value and inside a JSON policy document.
const REFERER_SECRET_CHARS = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export interface ReaderKeyPair {
  /** An access key id identifies a key but does not authenticate; it is safe to log and shows up in CloudTrail. */
  readonly accessKeyId: string;
  readonly secretAccessKey: SecretText;
}

export interface RefererSecretValues {
  readonly current: SecretText;
  readonly previous: SecretText;
}

/** Thrown when a stored secret does not have the expected shape; the message describes, never quotes, the value. */
export class SecretShapeError extends S3AlicdnError {
  constructor(message: string) {
    super('DEPLOY_FAILED', message);
  }
}

export function parseReaderKeySecret(secretString: string, where: string): ReaderKeyPair {
  const fields = parseJsonObject(secretString, where, '{"accessKeyId": "AKIA...", "secretAccessKey": "..."}');
  const accessKeyId = requireString(fields, READER_KEY_SECRET_FIELDS.accessKeyId, where);
  const secretAccessKey = requireString(fields, READER_KEY_SECRET_FIELDS.secretAccessKey, where);
  if (!ACCESS_KEY_ID_PATTERN.test(accessKeyId)) {
    // A swapped pair would put the secret key here, so even this field is described rather than quoted.
    throw new SecretShapeError(
      `${where}: field "accessKeyId" (${accessKeyId.length} characters) does not match AKIA[0-9A-Z]{16}; expected the access key id of an IAM user's long-term key.`,
    );
  }
  if (!SECRET_ACCESS_KEY_PATTERN.test(secretAccessKey)) {
    throw new SecretShapeError(
      `${where}: field "secretAccessKey" (${secretAccessKey.length} characters) is not a secret access key; expected 40 characters of A-Z, a-z, 0-9, "/" and "+".`,
    );
  }
  return { accessKeyId, secretAccessKey: new SecretText(secretAccessKey) };
}

export function serializeReaderKeySecret(pair: ReaderKeyPair): string {
  return JSON.stringify({
    [READER_KEY_SECRET_FIELDS.accessKeyId]: pair.accessKeyId,
    [READER_KEY_SECRET_FIELDS.secretAccessKey]: pair.secretAccessKey.reveal(),
  });
}

export function parseRefererSecret(secretString: string, where: string): RefererSecretValues {
  const fields = parseJsonObject(secretString, where, '{"current": "...", "previous": "..."}');
  const current = requireRefererValue(fields, REFERER_SECRET_FIELDS.current, where);
  const previous = requireRefererValue(fields, REFERER_SECRET_FIELDS.previous, where);
  return { current, previous };
}

export function serializeRefererSecret(values: RefererSecretValues): string {
  return JSON.stringify({
    [REFERER_SECRET_FIELDS.current]: values.current.reveal(),
    [REFERER_SECRET_FIELDS.previous]: values.previous.reveal(),
  });
}

/** Validates a candidate referer secret (e.g. from GetRandomPassword) before it is stored. */
export function assertRefererSecretValue(value: string, where: string): SecretText {
  if (value.length < MIN_REFERER_SECRET_LENGTH || value.length > MAX_REFERER_SECRET_LENGTH) {
    throw new SecretShapeError(
      `${where} is ${value.length} characters; expected ${MIN_REFERER_SECRET_LENGTH} to ${MAX_REFERER_SECRET_LENGTH}.`,
    );
  }
  if (!REFERER_SECRET_CHARS.test(value)) {
    throw new SecretShapeError(
      `${where} contains characters other than visible ASCII (without '"' and '\\'); expected a header-safe token.`,
    );
  }
  return new SecretText(value);
}

function parseJsonObject(secretString: string, where: string, expected: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // JSON.parse's own message quotes the input, so it must not be passed on.
    throw new SecretShapeError(`${where} is not JSON; expected ${expected}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretShapeError(`${where} is JSON but not an object; expected ${expected}.`);
  }
  return parsed as Record<string, unknown>;
}

function requireString(fields: Record<string, unknown>, field: string, where: string): string {
  const value = fields[field];
  if (value === undefined) throw new SecretShapeError(`${where}: field "${field}" is missing.`);
  if (typeof value !== 'string')
    throw new SecretShapeError(`${where}: field "${field}" is a ${value === null ? 'null' : typeof value}; expected a string.`);
  return value;
}

function requireRefererValue(fields: Record<string, unknown>, field: string, where: string): SecretText {
  return assertRefererSecretValue(requireString(fields, field, where), `${where}: field "${field}"`);
}

export type SecretsManagerSender = Pick<SecretsManagerClient, 'send'>;

export interface StoredSecretString {
  readonly secretString: string;
  readonly versionId: string;
}

/**
 * Raised for any Secrets Manager failure; the message names the secret and the permission, never a value
 * (the SDK never puts secret values in error messages, and we add none).
 */
export class SecretAccessError extends S3AlicdnError {
  constructor(message: string) {
    super('CLOUD_API', message);
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
    throw new SecretAccessError(
      `Secret ${secretId} (${versionStage}) has no SecretString (binary secrets are not supported); expected a JSON string.`,
    );
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
    return new SecretAccessError(
      `Cannot ${verb} secret ${secretId}: KMS refused (${describeAwsError(error)}); the deploying identity needs kms:Decrypt/kms:GenerateDataKey on the secret's key.`,
    );
  }
  return new SecretAccessError(`Cannot ${verb} secret ${secretId}: ${describeAwsError(error)}`);
}

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
