import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ConnectTo, HttpClientOptions } from '../../lib/verify/http-client';
import { createSelfSignedCertificate } from '../helpers/self-signed-certificate';

/**
 * A test double for what verify talks to after a deploy: the CDN (HTTPS and plain HTTP on the service domain) and
 * S3 (the bucket's REST hosts, and the SDK's PutObject/DeleteObject through aws-sdk-client-mock). All of it is one
 * in-memory bucket, so the CDN serves exactly what the SDK uploaded. Real TLS with a throwaway certificate; the
 * client reaches it through `connectTo`, so host names, Host headers and SNI are the real ones.
 */
export interface DoubleBehaviour {
  cdn: 'serve' | 'forbidden' | 'corrupt';
  plainHttp: 301 | 302 | 308 | 'serve' | 'redirect-elsewhere';
  directS3: 'forbidden' | 'public';
}

export interface SeenRequest {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly path: string;
  readonly servername?: string;
}

export const SERVICE_DOMAIN = 'test.test.com';
export const BUCKET = 'ali-cdn-test';
export const REGION = 'ap-northeast-2';
const VIRTUAL_HOST = `${BUCKET}.s3.${REGION}.amazonaws.com`;
const PATH_HOST = `s3.${REGION}.amazonaws.com`;

/** One entry of a key's version stack, oldest first: stored bytes, or a delete marker (no bytes). */
export interface StoredVersion {
  readonly versionId: string;
  readonly body?: Buffer;
}

export class CdnAndS3TestDouble {
  /** The current version of each key: what a GET without a version id (and so the CDN) sees. */
  readonly objects = new Map<string, Buffer>();
  /** Every version S3 keeps per key, delete markers included. */
  readonly versions = new Map<string, StoredVersion[]>();
  /**
   * The origin bucket is versioned. S3 semantics ("Deleting object versions from a versioning-enabled bucket" and
   * "Working with delete markers", Amazon S3 User Guide; PutObject/DeleteObject API reference):
   * - Enabled: PutObject adds a version and returns its VersionId; DeleteObject without VersionId only adds a delete
   *   marker (the bytes stay as a noncurrent version); with VersionId it removes that version for good, no marker.
   * - Suspended: new writes and markers take the version id "null", replacing the previous "null" version.
   * - unversioned: no version ids at all.
   * Deleting a version id that does not exist succeeds (204) and changes nothing.
   */
  bucketVersioning: 'Enabled' | 'Suspended' | 'unversioned' = 'Enabled';
  private nextVersion = 1;
  readonly requests: SeenRequest[] = [];
  readonly s3 = new S3Client({ region: REGION });
  readonly s3Mock = mockClient(this.s3);
  behaviour: DoubleBehaviour = { cdn: 'serve', plainHttp: 301, directS3: 'forbidden' };
  /** Path prefix the CDN double strips before looking up the key, as the real CDN forwards the path to the origin. */
  originPathPrefix = '/';

  private readonly certificate = createSelfSignedCertificate([SERVICE_DOMAIN, VIRTUAL_HOST, PATH_HOST]);
  private httpsServer?: https.Server;
  private httpServer?: http.Server;

  constructor() {
    this.reset();
  }

  /** Back to a correct deployment with an empty bucket, no recorded calls and no injected S3 failures. */
  reset(): void {
    this.behaviour = { cdn: 'serve', plainHttp: 301, directS3: 'forbidden' };
    this.originPathPrefix = '/';
    this.requests.length = 0;
    this.objects.clear();
    this.versions.clear();
    this.bucketVersioning = 'Enabled';
    this.nextVersion = 1;
    this.s3Mock.reset();
    this.installS3();
  }

  async start(): Promise<void> {
    this.httpsServer = https.createServer({ cert: this.certificate.cert, key: this.certificate.key }, (req, res) =>
      this.handle('https', req, res),
    );
    this.httpServer = http.createServer((req, res) => this.handle('http', req, res));
    await Promise.all([listen(this.httpsServer), listen(this.httpServer)]);
  }

  async close(): Promise<void> {
    await Promise.all([this.httpsServer, this.httpServer].map((server) => server && new Promise((resolve) => server.close(resolve))));
  }

  /** Sends every port-443 connection to the HTTPS double and every port-80 one to the HTTP double. */
  get connectTo(): ConnectTo {
    const httpsPort = (this.httpsServer!.address() as AddressInfo).port;
    const httpPort = (this.httpServer!.address() as AddressInfo).port;
    return ({ port }) => ({ host: '127.0.0.1', port: port === 443 ? httpsPort : httpPort });
  }

  get httpOptions(): HttpClientOptions {
    return { connectTo: this.connectTo, ca: this.certificate.cert, timeoutMs: 5000 };
  }

  private installS3(): void {
    this.s3Mock.on(PutObjectCommand).callsFake(({ Key, Body }) => {
      const versionId = this.store(Key, Buffer.from(Body as Buffer));
      return { ETag: '"probe"', ...(versionId ? { VersionId: versionId } : {}) };
    });
    this.s3Mock.on(DeleteObjectCommand).callsFake(({ Key, VersionId }) => {
      const stack = this.versions.get(Key) ?? [];
      if (VersionId !== undefined) {
        const index = stack.findIndex((version) => version.versionId === VersionId);
        if (index < 0) return {};
        const [removed] = stack.splice(index, 1);
        this.settle(Key, stack);
        return { VersionId, ...(removed.body ? {} : { DeleteMarker: true }) };
      }
      if (this.bucketVersioning === 'unversioned') {
        this.settle(Key, []);
        return {};
      }
      const versionId = this.store(Key, undefined);
      return { DeleteMarker: true, VersionId: versionId };
    });
  }

  /** Adds bytes (or a delete marker) as the key's newest version; returns the version id S3 would report. */
  private store(key: string, body: Buffer | undefined): string | undefined {
    const stack = this.versions.get(key) ?? [];
    if (this.bucketVersioning === 'unversioned') {
      this.settle(key, body ? [{ versionId: 'null', body }] : []);
      return undefined;
    }
    const versionId = this.bucketVersioning === 'Enabled' ? `v${this.nextVersion++}` : 'null';
    const kept = stack.filter((version) => version.versionId !== versionId);
    this.settle(key, [...kept, { versionId, ...(body ? { body } : {}) }]);
    return versionId;
  }

  private settle(key: string, stack: StoredVersion[]): void {
    if (stack.length === 0) this.versions.delete(key);
    else this.versions.set(key, stack);
    const current = stack.at(-1);
    if (current?.body) this.objects.set(key, current.body);
    else this.objects.delete(key);
  }

  private handle(scheme: 'http' | 'https', req: http.IncomingMessage, res: http.ServerResponse): void {
    const host = (req.headers.host ?? '').toLowerCase();
    const path = req.url ?? '/';
    const servername = scheme === 'https' ? (req.socket as unknown as { servername?: string }).servername : undefined;
    this.requests.push({ scheme, host, path, ...(servername ? { servername } : {}) });

    if (scheme === 'http' && host === SERVICE_DOMAIN) return this.plainHttp(res, host, path);
    if (scheme === 'https' && host === SERVICE_DOMAIN) return this.cdn(res, path);
    if (scheme === 'https' && host === VIRTUAL_HOST) return this.directS3(res, path.slice(1));
    if (scheme === 'https' && host === PATH_HOST && path.startsWith(`/${BUCKET}/`))
      return this.directS3(res, path.slice(BUCKET.length + 2));
    res.writeHead(421).end('misdirected');
  }

  private plainHttp(res: http.ServerResponse, host: string, path: string): void {
    const behaviour = this.behaviour.plainHttp;
    if (behaviour === 'serve') return void res.writeHead(200).end('plain');
    if (behaviour === 'redirect-elsewhere') return void res.writeHead(301, { location: `https://elsewhere.example${path}` }).end();
    res.writeHead(behaviour, { location: `https://${host}${path}` }).end();
  }

  private cdn(res: http.ServerResponse, path: string): void {
    if (this.behaviour.cdn === 'forbidden') return void res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
    const body = path.startsWith(this.originPathPrefix)
      ? this.objects.get(decodeURIComponent(path.slice(this.originPathPrefix.length)))
      : undefined;
    if (!body) return void res.writeHead(404).end('NoSuchKey');
    const served = Buffer.from(body);
    if (this.behaviour.cdn === 'corrupt') served[0] ^= 0xff;
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served);
  }

  private directS3(res: http.ServerResponse, key: string): void {
    const body = this.objects.get(decodeURIComponent(key));
    if (this.behaviour.directS3 === 'public' && body) return void res.writeHead(200).end(body);
    res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
  }
}

function listen(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}
