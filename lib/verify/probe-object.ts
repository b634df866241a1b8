import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { describeAwsError, isAccessDenied } from '../aws/aws-errors';
import { VERIFY_PROBE_PREFIX } from '../config/naming';

export type S3Sender = Pick<S3Client, 'send'>;
export type RandomBytes = (size: number) => Buffer;

const PROBE_SIZE = 1024;

export interface ProbeObject {
  readonly key: string;
  readonly body: Buffer;
}

/** A random key (so no CDN cache can already hold it) with random content (so a match proves a real fetch). */
export function newProbeObject(randomBytes: RandomBytes = cryptoRandomBytes, prefix: string = VERIFY_PROBE_PREFIX): ProbeObject {
  return { key: `${prefix}${randomBytes(16).toString('hex')}.bin`, body: randomBytes(PROBE_SIZE) };
}

/** What S3 stored: the version id on a versioned bucket (`null` when versioning is suspended), none when unversioned. */
export interface UploadedProbe {
  readonly versionId?: string;
}

export async function uploadProbe(s3: S3Sender, bucket: string, probe: ProbeObject): Promise<UploadedProbe> {
  try {
    const stored = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: probe.key,
        Body: probe.body,
        ContentType: 'application/octet-stream',
        CacheControl: 'no-store',
      }),
    );
    return stored.VersionId ? { versionId: stored.VersionId } : {};
  } catch (error) {
    throw new Error(
      isAccessDenied(error)
        ? `access denied; the verifying identity needs s3:PutObject on arn:aws:s3:::${bucket}/${probe.key}`
        : describeAwsError(error),
      { cause: error },
    );
  }
}

/**
 * Deletes the probe for good. On a versioned bucket (the origin bucket is) a DELETE without a version id only adds a
 * delete marker and keeps the uploaded bytes as a noncurrent version, so every verify run would leave one behind;
 * a DELETE with the version id removes that version permanently and adds no marker, and it needs
 * s3:DeleteObjectVersion ("Deleting object versions from a versioning-enabled bucket", Amazon S3 User Guide).
 * Deleting a version that is already gone succeeds (204), so a second run of this is harmless.
 */
export async function removeProbe(s3: S3Sender, bucket: string, key: string, versionId?: string): Promise<void> {
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  } catch (error) {
    const action = versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
    throw new Error(
      isAccessDenied(error)
        ? `access denied; the verifying identity needs ${action} on arn:aws:s3:::${bucket}/${key}`
        : describeAwsError(error),
      { cause: error },
    );
  }
}
