import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { S3AlicdnError } from '../errors';
import type { HashedFile } from './local-files';
import { PUBLISH_STATE_PREFIX } from './local-files';

/** Parts of 8 MiB, four in flight: about 32 MiB of part buffers for any file size, 1 GB included (128 parts). */
export const PART_SIZE = 8 * 1024 * 1024;
export const MULTIPART_THRESHOLD = PART_SIZE;
export const PARTS_IN_FLIGHT = 4;
/** DeleteObjects takes at most 1,000 keys per call (S3 API reference, DeleteObjects). */
const DELETE_BATCH = 1000;
/** Object metadata carrying the content MD5, for objects whose ETag is not one (multipart uploads). */
export const MD5_METADATA = 's3alicdn-md5';
export const MANIFEST_KEY = `${PUBLISH_STATE_PREFIX}publish-manifest.json`;

export type S3Sender = Pick<S3Client, 'send' | 'config'>;

export interface RemoteObject {
  /** ETag without its quotes. */
  readonly etag: string;
  readonly size: number;
}

export interface ObjectHeaders {
  readonly contentType: string;
  readonly cacheControl: string;
}

export interface RemoteHead extends ObjectHeaders {
  readonly etag: string;
  readonly md5?: string;
}

/** What the last publish left: per key its content hash, headers and ETag, and refreshes it had still to submit. */
export interface PublishManifest {
  readonly version: 1;
  readonly entries: Record<string, { readonly md5: string; readonly etag: string } & ObjectHeaders>;
  readonly pendingRefresh: { readonly urls: readonly string[]; readonly directories: readonly string[] };
}

export const EMPTY_MANIFEST: PublishManifest = { version: 1, entries: {}, pendingRefresh: { urls: [], directories: [] } };

const unquote = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '');

function s3Failure(action: string, bucket: string, error: unknown): S3AlicdnError {
  const name = (error as { name?: string }).name ?? 'Error';
  const hint = name === 'AccessDenied' ? `; the publishing identity needs ${action} on arn:aws:s3:::${bucket}` : '';
  const noBucket = name === 'NoSuchBucket' ? `; the bucket does not exist: deploy the site first (npm run deploy)` : '';
  return new S3AlicdnError('CLOUD_API', `S3 ${action} on ${bucket}: ${name}: ${(error as Error).message}${hint}${noBucket}`, {
    cause: error,
  });
}

/** The bucket as publish sees it: listing, heads, uploads (single or multipart, streamed), deletes, the manifest. */
export class SiteBucket {
  constructor(
    private readonly s3: S3Sender,
    readonly name: string,
  ) {}

  async list(): Promise<Map<string, RemoteObject>> {
    const objects = new Map<string, RemoteObject>();
    let token: string | undefined;
    try {
      do {
        const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.name, ContinuationToken: token }));
        for (const item of page.Contents ?? []) {
          if (item.Key !== undefined) objects.set(item.Key, { etag: unquote(item.ETag), size: item.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw s3Failure('s3:ListBucket', this.name, error);
    }
    return objects;
  }

  async head(key: string): Promise<RemoteHead> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.name, Key: key }));
      return {
        etag: unquote(head.ETag),
        contentType: head.ContentType ?? '',
        cacheControl: head.CacheControl ?? '',
        md5: head.Metadata?.[MD5_METADATA],
      };
    } catch (error) {
      throw s3Failure('s3:GetObject', this.name, error);
    }
  }

  /** Uploads one file with its headers; returns the new ETag. Small files go in one PutObject with Content-MD5. */
  async upload(file: HashedFile, headers: ObjectHeaders, onBytes: (bytes: number) => void): Promise<string> {
    const common = {
      Bucket: this.name,
      Key: file.key,
      ContentType: headers.contentType,
      CacheControl: headers.cacheControl,
      Metadata: { [MD5_METADATA]: file.md5 },
    };
    try {
      if (file.size < MULTIPART_THRESHOLD) {
        const body = file.content ?? (await readFile(file.absolutePath));
        // S3 rejects the upload if the bytes it received do not match Content-MD5, so a file changed under us fails.
        const result = await this.s3.send(
          new PutObjectCommand({ ...common, Body: body, ContentMD5: Buffer.from(file.md5, 'hex').toString('base64') }),
        );
        onBytes(file.size);
        return unquote(result.ETag);
      }
      return await this.uploadInParts(file, common, onBytes);
    } catch (error) {
      throw s3Failure('s3:PutObject', this.name, error);
    }
  }

  /**
   * A multipart upload read straight from the file into a fixed pool of part buffers, reused part after part: memory
   * stays at PARTS_IN_FLIGHT x PART_SIZE whatever the file size. (lib-storage's Upload was tried first: it concatenates
   * stream chunks into parts, and a 1 GB file peaked at 230-250 MB of RSS.) Each part carries Content-MD5; a failure
   * aborts the upload so no parts are left to pay for (the bucket's lifecycle rule catches a killed process).
   */
  private async uploadInParts(file: HashedFile, common: PutObjectCommandInput, onBytes: (bytes: number) => void): Promise<string> {
    const { UploadId: uploadId } = await this.s3.send(new CreateMultipartUploadCommand(common));
    const partCount = Math.ceil(file.size / PART_SIZE);
    const etags: string[] = new Array(partCount);
    const handle = await open(file.absolutePath, 'r');
    try {
      let next = 0;
      const worker = async () => {
        const buffer = Buffer.allocUnsafe(PART_SIZE);
        while (next < partCount) {
          const index = next++;
          const length = Math.min(PART_SIZE, file.size - index * PART_SIZE);
          const { bytesRead } = await handle.read(buffer, 0, length, index * PART_SIZE);
          if (bytesRead !== length) throw new Error(`${file.absolutePath} changed while it was being uploaded`);
          const body = buffer.subarray(0, length);
          const result = await this.s3.send(
            new UploadPartCommand({
              Bucket: this.name,
              Key: file.key,
              UploadId: uploadId,
              PartNumber: index + 1,
              Body: body,
              ContentMD5: createHash('md5').update(body).digest('base64'),
            }),
          );
          etags[index] = result.ETag ?? '';
          onBytes(length);
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, partCount) }, worker));
      const done = await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.name,
          Key: file.key,
          UploadId: uploadId,
          MultipartUpload: { Parts: etags.map((etag, index) => ({ ETag: etag, PartNumber: index + 1 })) },
        }),
      );
      return unquote(done.ETag);
    } catch (error) {
      await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.name, Key: file.key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    } finally {
      await handle.close();
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      try {
        const result = await this.s3.send(
          new DeleteObjectsCommand({ Bucket: this.name, Delete: { Objects: batch.map((key) => ({ Key: key })), Quiet: true } }),
        );
        if (result.Errors && result.Errors.length > 0) {
          const first = result.Errors[0];
          throw new Error(`${result.Errors.length} key(s) not deleted, e.g. ${first.Key}: ${first.Code} ${first.Message}`);
        }
      } catch (error) {
        throw s3Failure('s3:DeleteObject', this.name, error);
      }
    }
  }

  async readManifest(): Promise<PublishManifest> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.name, Key: MANIFEST_KEY }));
      const parsed = JSON.parse(await result.Body!.transformToString()) as PublishManifest;
      return parsed.version === 1 && parsed.entries ? { ...EMPTY_MANIFEST, ...parsed } : EMPTY_MANIFEST;
    } catch (error) {
      // No manifest (a first publish) or an unreadable one only costs extra HEAD requests; never a wrong skip.
      if ((error as { name?: string }).name === 'NoSuchKey' || error instanceof SyntaxError) return EMPTY_MANIFEST;
      throw s3Failure('s3:GetObject', this.name, error);
    }
  }

  async writeManifest(manifest: PublishManifest): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.name,
          Key: MANIFEST_KEY,
          Body: JSON.stringify(manifest),
          ContentType: 'application/json; charset=utf-8',
          CacheControl: 'no-store',
        }),
      );
    } catch (error) {
      throw s3Failure('s3:PutObject', this.name, error);
    }
  }
}
