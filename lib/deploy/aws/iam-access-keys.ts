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
import { describeAwsError, isAccessDenied, isAwsError } from './aws-errors';
import type { ReaderKeyPair } from './secret-shapes';
import { SecretText } from './secret-text';

export type IamSender = Pick<IAMClient, 'send'>;

export interface AccessKeyInfo {
  readonly accessKeyId: string;
  readonly status: 'Active' | 'Inactive' | 'Expired';
  readonly createDate: Date;
}

export class ReaderKeyRotationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReaderKeyRotationError';
  }
}

/**
 * IAM has no "deactivated at" field and access keys cannot be tagged, so the time a key was deactivated is kept as
 * a tag on its user, `<prefix><access key id>` = ISO time. That is what lets a later run honour the grace period.
 */
export const DEACTIVATED_AT_TAG_PREFIX = 'origin-reader-key-deactivated-at:';

export async function listAccessKeys(iam: IamSender, userName: string): Promise<AccessKeyInfo[]> {
  const keys: AccessKeyInfo[] = [];
  let marker: string | undefined;
  do {
    const page = await iamCall(() => iam.send(new ListAccessKeysCommand({ UserName: userName, Marker: marker })), 'ListAccessKeys', userName);
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

export async function createAccessKey(iam: IamSender, userName: string): Promise<ReaderKeyPair> {
  const response = await iamCall(() => iam.send(new CreateAccessKeyCommand({ UserName: userName })), 'CreateAccessKey', userName);
  const key = response.AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) {
    throw new ReaderKeyRotationError(`IAM CreateAccessKey for user ${userName} returned no key pair.`);
  }
  return { accessKeyId: key.AccessKeyId, secretAccessKey: new SecretText(key.SecretAccessKey) };
}

export async function setAccessKeyStatus(iam: IamSender, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
  await iamCall(() => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status })), 'UpdateAccessKey', userName);
}

export async function deleteAccessKey(iam: IamSender, userName: string, accessKeyId: string): Promise<void> {
  try {
    await iamCall(() => iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId })), 'DeleteAccessKey', userName);
  } catch (error) {
    // Already gone (an interrupted earlier run): the goal state is reached.
    if (!isAwsError((error as { cause?: unknown }).cause, 'NoSuchEntity')) throw error;
  }
}

/** Deactivation times recorded on the user, by access key id. */
export async function readDeactivationMarkers(iam: IamSender, userName: string): Promise<Map<string, Date>> {
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

export async function writeDeactivationMarker(iam: IamSender, userName: string, accessKeyId: string, at: Date): Promise<void> {
  const tag = { Key: `${DEACTIVATED_AT_TAG_PREFIX}${accessKeyId}`, Value: at.toISOString() };
  await iamCall(() => iam.send(new TagUserCommand({ UserName: userName, Tags: [tag] })), 'TagUser', userName);
}

export async function clearDeactivationMarkers(iam: IamSender, userName: string, accessKeyIds: readonly string[]): Promise<void> {
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
