import { createHash } from 'node:crypto';
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { VERIFY_PROBE_PREFIX } from '../config/naming';
import { S3AlicdnError } from '../errors';

export const PUBLISH_STATE_PREFIX = '.s3alicdn/';
/** Key prefixes publish never writes nor prunes: verify's probe objects and publish's own manifest. */
export const RESERVED_PREFIXES = [VERIFY_PROBE_PREFIX, PUBLISH_STATE_PREFIX] as const;

/** S3 limits a key to 1,024 bytes of UTF-8 ("Naming Amazon S3 objects", Amazon S3 User Guide). */
export const MAX_KEY_BYTES = 1024;

export interface LocalFile {
  /** The object key: the path relative to the folder, with "/" separators. */
  readonly key: string;
  readonly absolutePath: string;
  readonly size: number;
}

export interface HashedFile extends LocalFile {
  /** Hex MD5 of the content: what S3 reports as the ETag of a single-part upload. */
  readonly md5: string;
  /** For files uploaded in parts: the ETag S3 gives the completed multipart upload with publish's part size. */
  readonly multipartEtag?: string;
  /** The bytes read for hashing, kept (within a memory budget) so a small file is not read twice. */
  readonly content?: Buffer;
}

/**
 * Why S3 (or the CDN in front of it) cannot take this key, or undefined. Control characters are refused because
 * XML 1.0 cannot carry them, so ListObjects could not return the key; "." and ".." segments because S3 stores them
 * literally while browsers and the CDN normalise them away, so the object would be unreachable.
 */
export function keyProblem(key: string): string | undefined {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `longer than S3's ${MAX_KEY_BYTES}-byte key limit`;
  if (key.includes('\uFFFD')) return 'not valid UTF-8 (S3 keys are UTF-8)';
  if ([...key].some((character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f))
    return 'contains a control character, which S3 listings (XML 1.0) cannot carry';
  if (key.includes('\\')) return 'contains a backslash, which browsers turn into "/"';
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) return 'has a "." or ".." path segment';
  if (RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix))) return `is under the reserved prefix ${RESERVED_PREFIXES.join(' or ')}`;
  return undefined;
}

/** Every regular file under `dir` (symbolic links to files included), keys in a stable order. */
export async function scanFolder(dir: string): Promise<LocalFile[]> {
  const root = path.resolve(dir);
  let stat;
  try {
    stat = await fs.stat(root);
  } catch (error) {
    throw new S3AlicdnError(
      'USAGE',
      `--dir "${dir}": no such folder (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); give the folder your build writes, e.g. --dir dist`,
      { cause: error },
    );
  }
  if (!stat.isDirectory()) throw new S3AlicdnError('USAGE', `--dir "${dir}": is a file, not a folder`);

  // Synchronous listing and stat: metadata the system has cached answers in microseconds, while an awaited stat per
  // file costs a thread-pool round trip each (about 0.4 s for 2,000 files on a busy machine).
  const entries = fsSync.readdirSync(root, { recursive: true, withFileTypes: true });
  const files: LocalFile[] = [];
  const bad: string[] = [];
  for (const entry of entries) {
    const absolutePath = path.join(entry.parentPath, entry.name);
    let fileStat;
    if (entry.isFile()) fileStat = fsSync.statSync(absolutePath);
    else if (entry.isSymbolicLink()) {
      try {
        fileStat = fsSync.statSync(absolutePath);
      } catch {
        continue;
      }
      if (!fileStat.isFile()) continue;
    } else continue;
    const key = path.relative(root, absolutePath).split(path.sep).join('/');
    const problem = keyProblem(key);
    if (problem) bad.push(`  ${JSON.stringify(key)}: ${problem}`);
    else files.push({ key, absolutePath, size: fileStat.size });
  }
  if (bad.length > 0) {
    throw new S3AlicdnError(
      'USAGE',
      `--dir "${dir}": ${bad.length} file name(s) S3 cannot take; rename them:\n${bad.slice(0, 20).join('\n')}${bad.length > 20 ? `\n  ... and ${bad.length - 20} more` : ''}`,
    );
  }
  return files.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
}

/**
 * Streams the file once, computing the MD5 of the whole and (for files of at least `partSize`) of each part, so the
 * multipart ETag can be compared with S3's without reading the file twice or holding it in memory.
 */
export async function hashFile(file: LocalFile, partSize: number, multipartThreshold: number, keepContent = false): Promise<HashedFile> {
  // Small files (most of a site) in one synchronous read: a stream per file costs more in buffers and events than the
  // hashing, and an asynchronous read four thread-pool round trips.
  if (file.size < multipartThreshold) {
    const content = fsSync.readFileSync(file.absolutePath);
    return { ...file, md5: createHash('md5').update(content).digest('hex'), ...(keepContent ? { content } : {}) };
  }
  // One reused buffer for the whole file: no garbage per chunk, so memory stays flat for a file of any size.
  const whole = createHash('md5');
  const multipart = file.size >= multipartThreshold;
  const partDigests: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  const handle = await fs.open(file.absolutePath, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const data = buffer.subarray(0, bytesRead);
      whole.update(data);
      if (!multipart) continue;
      let offset = 0;
      while (offset < data.length) {
        const take = Math.min(partSize - inPart, data.length - offset);
        part.update(data.subarray(offset, offset + take));
        inPart += take;
        offset += take;
        if (inPart === partSize) {
          partDigests.push(part.digest());
          part = createHash('md5');
          inPart = 0;
        }
      }
    }
  } finally {
    await handle.close();
  }
  if (multipart && inPart > 0) partDigests.push(part.digest());
  const multipartEtag = multipart
    ? `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}`
    : undefined;
  return { ...file, md5: whole.digest('hex'), multipartEtag };
}
