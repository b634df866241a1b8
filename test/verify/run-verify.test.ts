import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { renderVerifyJson, renderVerifyTable, verifyExitCode } from '../../lib/verify/report';
import { runVerify, type RunVerifyOptions } from '../../lib/verify/run-verify';
import { awsError } from '../doubles/aws-error-doubles';
import { BUCKET, CdnAndS3TestDouble, REGION, SERVICE_DOMAIN } from '../doubles/cdn-and-s3-test-double';

const CDN_CNAME = 'test.test.com.w.kunlunsl.com';
const resolveToCdn = async (name: string) => {
  if (name === SERVICE_DOMAIN) return [`${CDN_CNAME}.`];
  throw Object.assign(new Error(`queryCname ENODATA ${name}`), { code: 'ENODATA' });
};

// Deterministic "random" bytes so the probe key is known; the content stays distinct per call.
let counter = 0;
const fakeRandomBytes = (size: number) => Buffer.alloc(size, ++counter);

const double = new CdnAndS3TestDouble();
beforeAll(() => double.start());
afterAll(() => double.close());

beforeEach(() => double.reset());

function options(overrides: Partial<RunVerifyOptions> = {}): RunVerifyOptions {
  return {
    serviceDomain: SERVICE_DOMAIN,
    cdnCname: CDN_CNAME,
    origin: { bucketName: BUCKET, bucketRegion: REGION, originPathPrefix: double.originPathPrefix },
    s3: double.s3,
    resolveCname: resolveToCdn,
    http: double.httpOptions,
    randomBytes: fakeRandomBytes,
    ...overrides,
  };
}

const probeKey = () => double.s3Mock.commandCalls(PutObjectCommand)[0].args[0].input.Key!;
const cdnUrl = () => `https://${SERVICE_DOMAIN}/${probeKey()}`;

const byId = (report: Awaited<ReturnType<typeof runVerify>>) => Object.fromEntries(report.results.map((result) => [result.id, result]));

describe('runVerify', () => {
  it('passes every check against a correct deployment and removes the probe', async () => {
    const report = await runVerify(options());
    expect(report.results.map((result) => [result.id, result.status])).toEqual([
      ['dns-cname', 'pass'],
      ['probe-upload', 'pass'],
      ['cdn-https-fetch', 'pass'],
      ['http-redirects-to-https', 'pass'],
      ['direct-s3-virtual-hosted-refused', 'pass'],
      ['direct-s3-path-style-refused', 'pass'],
      ['probe-cleanup', 'pass'],
    ]);
    expect(report.ok).toBe(true);
    expect(verifyExitCode(report)).toBe(0);

    const put = double.s3Mock.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Bucket).toBe(BUCKET);
    expect(put.Key).toMatch(/^verify-probe\/[0-9a-f]{32}\.bin$/);
    // The bucket is versioned: the delete names the uploaded version, so nothing is left behind (no noncurrent
    // version, no delete marker).
    expect(double.s3Mock.commandCalls(DeleteObjectCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, Key: put.Key, VersionId: 'v1' });
    expect(double.objects.size).toBe(0);
    expect(double.versions.size).toBe(0);
    expect(byId(report)['probe-cleanup'].detail).toBe(`s3://${BUCKET}/${put.Key}: deleted (version v1)`);

    expect(double.requests).toEqual([
      { scheme: 'https', host: SERVICE_DOMAIN, path: `/${put.Key}`, servername: SERVICE_DOMAIN },
      { scheme: 'http', host: SERVICE_DOMAIN, path: `/${put.Key}` },
      {
        scheme: 'https',
        host: `${BUCKET}.s3.${REGION}.amazonaws.com`,
        path: `/${put.Key}`,
        servername: `${BUCKET}.s3.${REGION}.amazonaws.com`,
      },
      { scheme: 'https', host: `s3.${REGION}.amazonaws.com`, path: `/${BUCKET}/${put.Key}`, servername: `s3.${REGION}.amazonaws.com` },
    ]);
  });

  it('fetches <domain>/<bucket>/<key> for a path-style origin, as in the guide', async () => {
    double.originPathPrefix = `/${BUCKET}/`;
    const report = await runVerify(options());
    expect(report.ok).toBe(true);
    const key = double.s3Mock.commandCalls(PutObjectCommand)[0].args[0].input.Key;
    expect(double.requests[0]).toMatchObject({ host: SERVICE_DOMAIN, path: `/${BUCKET}/${key}` });
  });

  it('fails the DNS check when the CNAME points elsewhere', async () => {
    const report = await runVerify(options({ resolveCname: async (name) => (name === SERVICE_DOMAIN ? ['old-origin.example.net'] : []) }));
    expect(byId(report)['dns-cname']).toMatchObject({
      status: 'fail',
      detail: `The CNAME chain ${SERVICE_DOMAIN} -> old-origin.example.net does not reach ${CDN_CNAME}; point ${SERVICE_DOMAIN} at ${CDN_CNAME}.`,
    });
    expect(report.ok).toBe(false);
    expect(verifyExitCode(report)).toBe(1);
  });

  it('fails the CDN fetch on 403 with a hint, and still removes the probe', async () => {
    double.behaviour.cdn = 'forbidden';
    const report = await runVerify(options());
    expect(byId(report)['cdn-https-fetch'].status).toBe('fail');
    expect(byId(report)['cdn-https-fetch'].detail).toBe(
      `${cdnUrl()}: HTTP 403, expected 200; the origin refused the CDN: check the origin auth (the signing key in signed mode, the Referer rewrite in the referer modes) and the origin Host.`,
    );
    expect(byId(report)['probe-cleanup'].status).toBe('pass');
    expect(double.objects.size).toBe(0);
  });

  it('fails the CDN fetch when the bytes differ', async () => {
    double.behaviour.cdn = 'corrupt';
    const report = await runVerify(options());
    expect(byId(report)['cdn-https-fetch']).toMatchObject({
      status: 'fail',
      detail: `${cdnUrl()}: HTTP 200 but the 1024 bytes differ from the 1024-byte probe (a stale cache or a different object).`,
    });
    expect(double.objects.size).toBe(0);
  });

  it('fails the CDN fetch when the certificate is not trusted', async () => {
    const report = await runVerify(options({ http: { connectTo: double.connectTo } }));
    expect(byId(report)['cdn-https-fetch'].status).toBe('fail');
    expect(byId(report)['cdn-https-fetch'].detail).toMatch(/: request failed: (SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)/);
    expect(double.objects.size).toBe(0);
  });

  it.each([
    [
      'serve' as const,
      ": HTTP 200 (the content is served over plain HTTP), expected 301 or 308 to https; turn on the CDN's force-HTTPS redirect.",
    ],
    [302 as const, ": HTTP 302, expected 301 or 308 to https; turn on the CDN's force-HTTPS redirect."],
    ['redirect-elsewhere' as const, ': HTTP 301 to https://elsewhere.example/verify-probe/'],
  ])('fails the redirect check when plain HTTP answers %s', async (plainHttp, detail) => {
    double.behaviour.plainHttp = plainHttp;
    const report = await runVerify(options());
    expect(byId(report)['http-redirects-to-https'].status).toBe('fail');
    expect(byId(report)['http-redirects-to-https'].detail).toContain(`http://${SERVICE_DOMAIN}/${probeKey()}${detail}`);
  });

  it('accepts a 308 redirect', async () => {
    double.behaviour.plainHttp = 308;
    const report = await runVerify(options());
    expect(byId(report)['http-redirects-to-https']).toMatchObject({
      status: 'pass',
      detail: `http://${SERVICE_DOMAIN}/${probeKey()}: HTTP 308 -> ${cdnUrl()}`,
    });
  });

  it('fails both direct checks when the bucket is publicly readable, and removes the probe', async () => {
    double.behaviour.directS3 = 'public';
    const report = await runVerify(options());
    const urls = {
      'direct-s3-virtual-hosted-refused': `https://${BUCKET}.s3.${REGION}.amazonaws.com/${probeKey()}`,
      'direct-s3-path-style-refused': `https://s3.${REGION}.amazonaws.com/${BUCKET}/${probeKey()}`,
    };
    for (const [id, url] of Object.entries(urls)) {
      expect(byId(report)[id]).toMatchObject({
        status: 'fail',
        detail: `${url}: HTTP 200; the object is readable without the CDN: the bucket policy or ACLs grant public read.`,
      });
    }
    expect(double.objects.size).toBe(0);
  });

  it('skips the probe checks when the upload fails, and does not try to delete', async () => {
    double.s3Mock.on(PutObjectCommand).rejectsOnce(awsError('AccessDenied', 'Access Denied', 403));
    const report = await runVerify(options());
    expect(report.results.map((result) => [result.id, result.status])).toEqual([
      ['dns-cname', 'pass'],
      ['probe-upload', 'fail'],
      ['cdn-https-fetch', 'skip'],
      ['http-redirects-to-https', 'pass'],
      ['direct-s3-refused', 'skip'],
    ]);
    expect(byId(report)['probe-upload'].detail).toBe(
      `s3://${BUCKET}/${probeKey()}: access denied; the verifying identity needs s3:PutObject on arn:aws:s3:::${BUCKET}/${probeKey()}`,
    );
    expect(double.s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(report.ok).toBe(false);
  });

  it('reports a failed clean-up with the command to remove the probe version', async () => {
    double.s3Mock.on(DeleteObjectCommand).rejectsOnce(awsError('AccessDenied', 'Access Denied', 403));
    const report = await runVerify(options());
    const key = probeKey();
    expect(byId(report)['probe-cleanup']).toMatchObject({
      status: 'fail',
      detail: `s3://${BUCKET}/${key}: access denied; the verifying identity needs s3:DeleteObjectVersion on arn:aws:s3:::${BUCKET}/${key}; delete it: aws s3api delete-object --bucket ${BUCKET} --key ${key} --version-id v1`,
    });
    expect(report.ok).toBe(false);
  });

  it('runs twice on a versioned bucket and leaves no version behind either time', async () => {
    await runVerify(options());
    await runVerify(options());
    const deletes = double.s3Mock.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.VersionId);
    expect(deletes).toEqual(['v1', 'v2']);
    expect(double.versions.size).toBe(0);
  });

  it('a delete without the version id (the old behaviour) would have left the bytes behind: the double models it', async () => {
    await double.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: Buffer.from('x') }));
    await double.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'k' }));
    expect(double.objects.has('k')).toBe(false);
    expect(double.versions.get('k')).toEqual([{ versionId: 'v1', body: Buffer.from('x') }, { versionId: 'v2' }]);
  });

  it.each(['Suspended', 'unversioned'] as const)('removes the probe from a bucket whose versioning is %s', async (versioning) => {
    double.bucketVersioning = versioning;
    const report = await runVerify(options());
    expect(byId(report)['probe-cleanup'].status).toBe('pass');
    const expected = versioning === 'Suspended' ? { VersionId: 'null' } : {};
    expect(double.s3Mock.commandCalls(DeleteObjectCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, Key: probeKey(), ...expected });
    expect(double.versions.size).toBe(0);
  });

  it('reports unreachable endpoints as failures with the socket error', async () => {
    const closedPort = { connectTo: () => ({ host: '127.0.0.1', port: 1 }), timeoutMs: 2000 };
    const report = await runVerify(options({ http: closedPort }));
    expect(byId(report)['cdn-https-fetch'].detail).toBe(`${cdnUrl()}: request failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1.`);
    expect(byId(report)['direct-s3-path-style-refused'].detail).toMatch(/: request failed: ECONNREFUSED/);
    expect(double.objects.size).toBe(0);
  });

  it('skips the virtual-hosted check for a bucket name with dots', async () => {
    const report = await runVerify(options({ origin: { bucketName: 'assets.example.com', bucketRegion: REGION, originPathPrefix: '/' } }));
    expect(byId(report)['direct-s3-virtual-hosted-refused'].status).toBe('skip');
    expect(report.ok).toBe(false);
  });

  it('renders the report as a table and as JSON', async () => {
    double.behaviour.cdn = 'forbidden';
    const report = await runVerify(options());
    const table = renderVerifyTable(report);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^STATUS {2}CHECK +DETAIL$/);
    expect(lines[1]).toBe(`PASS    service domain CNAME reaches the CDN    ${SERVICE_DOMAIN} -> ${CDN_CNAME}`);
    expect(lines.find((line) => line.includes('serves the probe'))).toMatch(
      new RegExp(`^FAIL {4}CDN serves the probe over HTTPS {9}${cdnUrl()}: HTTP 403`),
    );
    expect(lines[lines.length - 1]).toBe('verify: 1 of 7 checks did not pass');
    expect(JSON.parse(renderVerifyJson(report))).toEqual({ ok: false, results: report.results });
  });
});
