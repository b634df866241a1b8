import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { isAwsError } from '../../aws/aws-errors';
import { S3AlicdnError } from '../../errors';

export type S3BucketSender = Pick<S3Client, 'send'>;

/**
 * Deletes every object version and delete marker of a (versioned) bucket, then the bucket. Only for `destroy
 * --delete-data`: the stack retains the bucket on purpose. Re-runnable: a bucket that is already gone is fine.
 */
export async function emptyAndDeleteBucket(s3: S3BucketSender, bucket: string): Promise<{ existed: boolean; deletedVersions: number }> {
  let deletedVersions = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  try {
    do {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((version) => ({
        Key: version.Key!,
        VersionId: version.VersionId,
      }));
      if (objects.length > 0) {
        const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
        if (result.Errors && result.Errors.length > 0) {
          const first = result.Errors[0];
          throw new S3AlicdnError(
            'DEPLOY_FAILED',
            `could not delete ${result.Errors.length} object versions from ${bucket} (first: ${first.Key}: ${first.Code}); re-run to retry`,
          );
        }
        deletedVersions += objects.length;
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined || versionIdMarker !== undefined);
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    return { existed: true, deletedVersions };
  } catch (error) {
    if (isAwsError(error, 'NoSuchBucket')) return { existed: deletedVersions > 0, deletedVersions };
    throw error;
  }
}
