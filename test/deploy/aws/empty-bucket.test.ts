import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { emptyAndDeleteBucket } from '../../../lib/deploy/aws/empty-bucket';

describe('emptyAndDeleteBucket', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());

  test('deletes every version and delete marker across pages, then the bucket', async () => {
    s3.on(ListObjectVersionsCommand, { KeyMarker: undefined }).resolves({
      Versions: [{ Key: 'a', VersionId: '1' }],
      DeleteMarkers: [{ Key: 'a', VersionId: '2' }],
      IsTruncated: true,
      NextKeyMarker: 'a',
      NextVersionIdMarker: '2',
    });
    s3.on(ListObjectVersionsCommand, { KeyMarker: 'a' }).resolves({ Versions: [{ Key: 'b', VersionId: '3' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(DeleteBucketCommand).resolves({});
    expect(await emptyAndDeleteBucket(new S3Client({}), 'ali-cdn-test')).toEqual({ existed: true, deletedVersions: 3 });
    expect(s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete!.Objects)).toEqual([
      [
        { Key: 'a', VersionId: '1' },
        { Key: 'a', VersionId: '2' },
      ],
      [{ Key: 'b', VersionId: '3' }],
    ]);
    expect(s3.commandCalls(DeleteBucketCommand)).toHaveLength(1);
  });

  test('a bucket that is already gone is not an error', async () => {
    s3.on(ListObjectVersionsCommand).rejects(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }));
    expect(await emptyAndDeleteBucket(new S3Client({}), 'gone')).toEqual({ existed: false, deletedVersions: 0 });
  });

  test('a partial delete failure stops before deleting the bucket and says to re-run', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'a', VersionId: '1' }] });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'a', Code: 'AccessDenied' }] });
    await expect(emptyAndDeleteBucket(new S3Client({}), 'b')).rejects.toThrow(
      'could not delete 1 object versions from b (first: a: AccessDenied); re-run to retry',
    );
    expect(s3.commandCalls(DeleteBucketCommand)).toHaveLength(0);
  });
});
