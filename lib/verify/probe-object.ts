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

export async function uploadProbe(s3: S3Sender, bucket: string, probe: ProbeObject): Promise<void> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: probe.key,
        Body: probe.body,
        ContentType: 'application/octet-stream',
        CacheControl: 'no-store',
      }),
    );
  } catch (error) {
    throw new Error(
      isAccessDenied(error)
        ? `access denied; the verifying identity needs s3:PutObject on arn:aws:s3:::${bucket}/${probe.key}`
        : describeAwsError(error),
      { cause: error },
    );
  }
}

export async function removeProbe(s3: S3Sender, bucket: string, key: string): Promise<void> {
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    throw new Error(
      isAccessDenied(error)
        ? `access denied; the verifying identity needs s3:DeleteObject on arn:aws:s3:::${bucket}/${key}`
        : describeAwsError(error),
      { cause: error },
    );
  }
}
