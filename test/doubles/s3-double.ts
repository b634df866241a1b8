/**
 * TEST DOUBLE: a local S3 REST server on 127.0.0.1 (path-style: /<bucket>/<key>) that the official
 * @aws-sdk/client-s3 and @aws-sdk/lib-storage, and the AWS CLI (`--endpoint-url`), talk to unchanged. Object bodies
 * live in a temporary folder, never in memory, so a 1 GB upload costs the double no RAM.
 *
 * Behaviour modelled on the Amazon S3 API reference:
 * - ETag of a single PutObject is the hex MD5 of the body; of a completed multipart upload it is
 *   md5(concatenated binary part MD5s) + "-" + part count (S3 User Guide, "Checking object integrity").
 * - PutObject with Content-MD5 that does not match the body fails 400 BadDigest.
 * - ListObjectsV2 returns at most 1,000 keys per page (max-keys), in UTF-8 binary order, with a continuation token;
 *   ListObjects (v1, used by older tools) pages with a marker.
 * - DeleteObjects takes at most 1,000 keys (400 MalformedXML beyond).
 * - Missing key: 404 NoSuchKey; missing bucket: 404 NoSuchBucket; throttling: 503 SlowDown (injected).
 * - Streaming uploads the SDK sends with Content-Encoding aws-chunked (a trailing checksum) are decoded.
 * Signatures are not checked: the tests of publish are about what it sends, not SigV4.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface StoredObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly file: string;
  readonly headers: Record<string, string>;
  readonly lastModified: Date;
}

export interface S3Fault {
  readonly status: number;
  readonly code: string;
}

interface Upload {
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly parts: Map<number, { etag: string; file: string; size: number }>;
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const STORED_HEADERS = ['content-type', 'cache-control', 'content-encoding', 'content-disposition'];

export class S3TestDouble {
  readonly objects = new Map<string, StoredObject>();
  readonly requests: Array<{ method: string; operation: string; key?: string }> = [];
  bytesReceived = 0;
  private readonly uploads = new Map<string, Upload>();
  private readonly faults: Array<{ operation: string; fault: S3Fault; remaining: number }> = [];
  private readonly storage = fs.mkdtempSync(path.join(os.tmpdir(), 's3-double-'));
  private server?: http.Server;
  private sequence = 0;

  constructor(readonly bucket: string) {}

  get endpoint(): string {
    if (!this.server) throw new Error('test double not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(port = 0): Promise<string> {
    const server = http.createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.error(response, 500, 'InternalError', String(error));
      });
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    return this.endpoint;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    fs.rmSync(this.storage, { recursive: true, force: true });
  }

  /** The next `times` requests of `operation` (e.g. PutObject, or "*") fail with this error. */
  failNext(operation: string, fault: S3Fault, times = 1): void {
    this.faults.push({ operation, fault, remaining: times });
  }

  count(operation: string): number {
    return this.requests.filter((request) => request.operation === operation).length;
  }

  resetCounters(): void {
    this.requests.length = 0;
    this.bytesReceived = 0;
  }

  body(key: string): Buffer {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no object ${key}`);
    return fs.readFileSync(object.file);
  }

  /** Puts an object directly, as another tool would have. */
  seed(key: string, body: Buffer | string, headers: Record<string, string> = {}): void {
    const file = this.newFile();
    fs.writeFileSync(file, body);
    const etag = createHash('md5').update(body).digest('hex');
    this.objects.set(key, { key, etag, size: Buffer.byteLength(body), file, headers, lastModified: new Date() });
  }

  /** Stores (or removes) an object and deletes the body file it replaces, so long runs do not fill the disk. */
  private replace(key: string, object: StoredObject | undefined): void {
    const previous = this.objects.get(key);
    if (previous && previous.file !== object?.file) fs.rmSync(previous.file, { force: true });
    if (object) this.objects.set(key, object);
    else this.objects.delete(key);
  }

  private newFile(): string {
    return path.join(this.storage, `${++this.sequence}`);
  }

  private takeFault(operation: string): S3Fault | undefined {
    const index = this.faults.findIndex((entry) => entry.operation === operation || entry.operation === '*');
    if (index < 0) return undefined;
    const entry = this.faults[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  private async serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
    const query = url.searchParams;
    const method = request.method ?? 'GET';
    const operation = operationOf(method, key, query);
    this.requests.push({ method, operation, key });

    const fault = this.takeFault(operation);
    if (fault) {
      await drain(request);
      return this.error(response, fault.status, fault.code, 'Injected by the test double.');
    }
    if (bucket !== this.bucket) {
      await drain(request);
      return this.error(response, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
    switch (operation) {
      case 'ListObjectsV2':
      case 'ListObjects':
        return this.list(response, query, operation === 'ListObjectsV2');
      case 'PutObject':
        return this.put(request, response, key!);
      case 'HeadObject':
      case 'GetObject':
        return this.get(response, key!, operation === 'HeadObject');
      case 'DeleteObject':
        this.replace(key!, undefined);
        response.writeHead(204).end();
        return;
      case 'DeleteObjects':
        return this.deleteMany(request, response);
      case 'CreateMultipartUpload': {
        const uploadId = randomUUID();
        this.uploads.set(uploadId, { key: key!, headers: storedHeaders(request), parts: new Map() });
        return this.xml(
          response,
          `<InitiateMultipartUploadResult><Bucket>${this.bucket}</Bucket><Key>${xmlEscape(key!)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        );
      }
      case 'UploadPart': {
        const upload = this.uploads.get(query.get('uploadId') ?? '');
        if (!upload) {
          await drain(request);
          return this.error(response, 404, 'NoSuchUpload', 'The specified upload does not exist.');
        }
        const file = this.newFile();
        const { md5, size } = await this.receive(request, file);
        upload.parts.set(Number(query.get('partNumber')), { etag: md5, file, size });
        response.writeHead(200, { etag: `"${md5}"` }).end();
        return;
      }
      case 'CompleteMultipartUpload':
        return this.complete(request, response, query.get('uploadId') ?? '');
      case 'AbortMultipartUpload':
        this.uploads.delete(query.get('uploadId') ?? '');
        response.writeHead(204).end();
        return;
      default:
        await drain(request);
        return this.error(response, 501, 'NotImplemented', `${method} ${url.pathname}${url.search} is not implemented by the test double`);
    }
  }

  private list(response: http.ServerResponse, query: URLSearchParams, v2: boolean): void {
    const prefix = query.get('prefix') ?? '';
    const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), 1000);
    const after = v2
      ? query.get('continuation-token')
        ? Buffer.from(query.get('continuation-token')!, 'base64').toString('utf8')
        : (query.get('start-after') ?? '')
      : (query.get('marker') ?? '');
    const keys = [...this.objects.keys()].filter((candidate) => candidate.startsWith(prefix) && candidate > after).sort(compareUtf8);
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map((objectKey) => {
        const object = this.objects.get(objectKey)!;
        return `<Contents><Key>${xmlEscape(objectKey)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>&quot;${object.etag}&quot;</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const last = page[page.length - 1] ?? '';
    const paging = v2
      ? `<KeyCount>${page.length}</KeyCount>${truncated ? `<NextContinuationToken>${Buffer.from(last).toString('base64')}</NextContinuationToken>` : ''}`
      : `<Marker>${xmlEscape(after)}</Marker>${truncated ? `<NextMarker>${xmlEscape(last)}</NextMarker>` : ''}`;
    this.xml(
      response,
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${this.bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${paging}${contents}</ListBucketResult>`,
    );
  }

  private async put(request: http.IncomingMessage, response: http.ServerResponse, key: string): Promise<void> {
    const file = this.newFile();
    const { md5, size } = await this.receive(request, file);
    const contentMd5 = request.headers['content-md5'];
    if (typeof contentMd5 === 'string' && Buffer.from(contentMd5, 'base64').toString('hex') !== md5) {
      fs.rmSync(file, { force: true });
      return this.error(response, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    this.replace(key, { key, etag: md5, size, file, headers: storedHeaders(request), lastModified: new Date() });
    response.writeHead(200, { etag: `"${md5}"` }).end();
  }

  private get(response: http.ServerResponse, key: string, headOnly: boolean): void {
    const object = this.objects.get(key);
    if (!object) {
      if (headOnly) {
        response.writeHead(404).end();
        return;
      }
      return this.error(response, 404, 'NoSuchKey', 'The specified key does not exist.');
    }
    response.writeHead(200, {
      etag: `"${object.etag}"`,
      'content-length': object.size,
      'last-modified': object.lastModified.toUTCString(),
      ...object.headers,
    });
    if (headOnly) response.end();
    else fs.createReadStream(object.file).pipe(response);
  }

  private async deleteMany(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = (await readAll(request)).toString('utf8');
    const keys = [...body.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((match) => unescapeXml(match[1]));
    if (keys.length > 1000) return this.error(response, 400, 'MalformedXML', 'DeleteObjects takes at most 1000 keys.');
    for (const key of keys) this.replace(key, undefined);
    const quiet = /<Quiet>true<\/Quiet>/.test(body);
    this.xml(
      response,
      `<DeleteResult>${quiet ? '' : keys.map((key) => `<Deleted><Key>${xmlEscape(key)}</Key></Deleted>`).join('')}</DeleteResult>`,
    );
  }

  private async complete(request: http.IncomingMessage, response: http.ServerResponse, uploadId: string): Promise<void> {
    const upload = this.uploads.get(uploadId);
    const body = (await readAll(request)).toString('utf8');
    if (!upload) return this.error(response, 404, 'NoSuchUpload', 'The specified upload does not exist.');
    const numbers = [...body.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((match) => Number(match[1]));
    const file = this.newFile();
    const digests: Buffer[] = [];
    let size = 0;
    for (const number of numbers) {
      const part = upload.parts.get(number);
      if (!part) return this.error(response, 400, 'InvalidPart', `Part ${number} was not uploaded.`);
      fs.appendFileSync(file, fs.readFileSync(part.file));
      fs.rmSync(part.file, { force: true });
      digests.push(Buffer.from(part.etag, 'hex'));
      size += part.size;
    }
    const etag = `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${numbers.length}`;
    this.uploads.delete(uploadId);
    this.replace(upload.key, { key: upload.key, etag, size, file, headers: upload.headers, lastModified: new Date() });
    this.xml(
      response,
      `<CompleteMultipartUploadResult><Bucket>${this.bucket}</Bucket><Key>${xmlEscape(upload.key)}</Key><ETag>&quot;${etag}&quot;</ETag></CompleteMultipartUploadResult>`,
    );
  }

  /** Streams a request body to `file`, decoding aws-chunked framing, and returns its MD5 and size. */
  private receive(request: http.IncomingMessage, file: string): Promise<{ md5: string; size: number }> {
    const chunked =
      /aws-chunked/.test(String(request.headers['content-encoding'] ?? '')) ||
      /^STREAMING-/.test(String(request.headers['x-amz-content-sha256'] ?? ''));
    return new Promise((resolve, reject) => {
      const hash = createHash('md5');
      const out = fs.createWriteStream(file);
      let size = 0;
      const decoder = chunked ? new AwsChunkedDecoder() : undefined;
      const write = (data: Buffer) => {
        hash.update(data);
        size += data.length;
        this.bytesReceived += data.length;
        return out.write(data);
      };
      request.on('data', (chunk: Buffer) => {
        const ok = decoder ? decoder.push(chunk).map(write).every(Boolean) : write(chunk);
        if (!ok) {
          request.pause();
          out.once('drain', () => request.resume());
        }
      });
      request.on('end', () => out.end(() => resolve({ md5: hash.digest('hex'), size })));
      request.on('error', reject);
      out.on('error', reject);
    });
  }

  private xml(response: http.ServerResponse, body: string): void {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
    response.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) }).end(text);
  }

  private error(response: http.ServerResponse, status: number, code: string, message: string): void {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
    response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) }).end(text);
  }
}

function operationOf(method: string, key: string | undefined, query: URLSearchParams): string {
  if (!key) {
    if (method === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    return `${method}Bucket`;
  }
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'PUT' && query.has('uploadId')) return 'UploadPart';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  return ({ PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' } as Record<string, string>)[method] ?? method;
}

function storedHeaders(request: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value !== 'string') continue;
    if (STORED_HEADERS.includes(name) || name.startsWith('x-amz-meta-'))
      headers[name] = name === 'content-encoding' ? value.replace(/,?\s*aws-chunked/, '') : value;
  }
  if (headers['content-encoding'] === '') delete headers['content-encoding'];
  return headers;
}

/** aws-chunked: "<hex size>[;chunk-signature=..]\r\n<data>\r\n" repeated, a zero-size chunk, then trailer lines. */
class AwsChunkedDecoder {
  private buffer = Buffer.alloc(0);
  private remaining = -1;
  private finished = false;

  push(chunk: Buffer): Buffer[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: Buffer[] = [];
    while (!this.finished) {
      if (this.remaining < 0) {
        const end = this.buffer.indexOf('\r\n');
        if (end < 0) break;
        this.remaining = parseInt(this.buffer.subarray(0, end).toString('ascii').split(';')[0], 16);
        this.buffer = this.buffer.subarray(end + 2);
        if (this.remaining === 0) this.finished = true;
      } else {
        if (this.buffer.length < this.remaining + 2) break;
        out.push(this.buffer.subarray(0, this.remaining));
        this.buffer = this.buffer.subarray(this.remaining + 2);
        this.remaining = -1;
      }
    }
    return out;
  }
}

const compareUtf8 = (left: string, right: string) => Buffer.compare(Buffer.from(left), Buffer.from(right));
const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

function readAll(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const drain = (request: http.IncomingMessage) => readAll(request).then(() => undefined);

// `node --import tsx test/doubles/s3-double.ts <bucket> [port]`: a standalone server for the bench and manual runs.
if (require.main === module) {
  const double = new S3TestDouble(process.argv[2] ?? 'ali-cdn-test');
  void double.start(Number(process.argv[3] ?? 0)).then((endpoint) => process.stdout.write(`${endpoint}\n`));
  process.on('SIGTERM', () => void double.close().then(() => process.exit(0)));
}
