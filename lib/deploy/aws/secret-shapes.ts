import { SecretText } from './secret-text';

/**
 * The JSON shapes of the two origin secrets. Both are JSON objects so CloudFormation dynamic references
 * (`{{resolve:secretsmanager:<arn>:SecretString:<field>}}`) can address each field.
 *
 * Reader key secret (signed mode):  {"accessKeyId": "AKIA...", "secretAccessKey": "<40 chars>"}
 * Referer secret (referer-secret):  {"current": "<secret>", "previous": "<secret>"}
 *   Both fields are always present. Outside a rotation `previous` equals `current`; during one it holds the value
 *   being retired. A bucket policy can therefore always reference both fields: a dynamic reference to a field that
 *   is absent fails the deploy, so "dropping" `previous` means setting it to `current`.
 */
export const READER_KEY_SECRET_FIELDS = { accessKeyId: 'accessKeyId', secretAccessKey: 'secretAccessKey' } as const;
export const REFERER_SECRET_FIELDS = { current: 'current', previous: 'previous' } as const;
export type RefererSecretField = keyof typeof REFERER_SECRET_FIELDS;

export const ACCESS_KEY_ID_PATTERN = /^AKIA[0-9A-Z]{16}$/;
const SECRET_ACCESS_KEY_PATTERN = /^[A-Za-z0-9/+]{40}$/;
export const MIN_REFERER_SECRET_LENGTH = 32;
const MAX_REFERER_SECRET_LENGTH = 256;
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
export class SecretShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretShapeError';
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
    throw new SecretShapeError(`${where} contains characters other than visible ASCII (without '"' and '\\'); expected a header-safe token.`);
  }
  return new SecretText(value);
}

/**
 * The CloudFormation dynamic reference for one referer field. Pass `versionId` to pin the version: CloudFormation
 * only re-resolves a reference when the template changes, so pinning is what makes a rotated value reach the
 * bucket policy on the next deploy.
 */
export function refererSecretDynamicReference(secretArn: string, field: RefererSecretField, versionId?: string): string {
  const version = versionId ? `::${versionId}` : '';
  return `{{resolve:secretsmanager:${secretArn}:SecretString:${REFERER_SECRET_FIELDS[field]}${version}}}`;
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
  if (typeof value !== 'string') throw new SecretShapeError(`${where}: field "${field}" is a ${value === null ? 'null' : typeof value}; expected a string.`);
  return value;
}

function requireRefererValue(fields: Record<string, unknown>, field: string, where: string): SecretText {
  return assertRefererSecretValue(requireString(fields, field, where), `${where}: field "${field}"`);
}
