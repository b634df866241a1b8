import type { OriginOutputs } from '../aws/stack-interface';
import { checkCdnFetch } from './cdn-fetch-check';
import { verifyReport, type CheckResult, type VerifyReport } from './check-result';
import { checkCname, type ResolveCname } from './cname-check';
import { checkDirectS3Refused } from './direct-s3-check';
import type { HttpClientOptions } from './http-client';
import { checkHttpsRedirect } from './https-redirect-check';
import { newProbeObject, removeProbe, uploadProbe, type RandomBytes, type S3Sender, type UploadedProbe } from './probe-object';
import { checkWebsite, type WebsiteExpectations } from './website-checks';

export interface RunVerifyOptions {
  readonly serviceDomain: string;
  /** The CDN domain's Cname from the ROS stack outputs. */
  readonly cdnCname: string;
  /** From the origin stack outputs (readOriginOutputs). */
  readonly origin: Pick<OriginOutputs, 'bucketName' | 'bucketRegion' | 'originPathPrefix'>;
  /** An S3 client for the bucket's region, with credentials that may put and delete the probe. */
  readonly s3: S3Sender;
  readonly resolveCname?: ResolveCname;
  readonly http?: HttpClientOptions;
  readonly randomBytes?: RandomBytes;
  readonly probePrefix?: string;
  /** What the site serves (index, error document, headers); checked after the probe when given. */
  readonly website?: WebsiteExpectations;
}

/**
 * The post-deploy checks, in order: the service domain's CNAME resolves to the CDN, a probe object comes back through
 * the CDN over HTTPS, HTTP redirects to HTTPS, and a direct S3 request is refused. The probe is removed whatever
 * happens in between.
 */
export async function runVerify(options: RunVerifyOptions): Promise<VerifyReport> {
  const { serviceDomain, origin, s3 } = options;
  const results: CheckResult[] = [await checkCname({ serviceDomain, cdnCname: options.cdnCname, resolveCname: options.resolveCname })];

  const probe = newProbeObject(options.randomBytes, options.probePrefix);
  const probeTarget = `s3://${origin.bucketName}/${probe.key}`;
  const uploadTitle = 'probe object uploaded';
  let uploaded: UploadedProbe;
  try {
    uploaded = await uploadProbe(s3, origin.bucketName, probe);
    results.push({ id: 'probe-upload', title: uploadTitle, status: 'pass', detail: `${probeTarget}: ${probe.body.length} random bytes` });
  } catch (error) {
    results.push({ id: 'probe-upload', title: uploadTitle, status: 'fail', detail: `${probeTarget}: ${(error as Error).message}` });
    const skipped = 'skipped: the probe object could not be uploaded.';
    results.push(
      { id: 'cdn-https-fetch', title: 'CDN serves the probe over HTTPS', status: 'skip', detail: skipped },
      await checkHttpsRedirect({ serviceDomain, originPathPrefix: origin.originPathPrefix, key: probe.key, http: options.http }),
      { id: 'direct-s3-refused', title: 'direct S3 GET refused', status: 'skip', detail: skipped },
    );
    return verifyReport(results);
  }

  try {
    results.push(await checkCdnFetch({ serviceDomain, originPathPrefix: origin.originPathPrefix, probe, http: options.http }));
    results.push(
      await checkHttpsRedirect({ serviceDomain, originPathPrefix: origin.originPathPrefix, key: probe.key, http: options.http }),
    );
    results.push(
      ...(await checkDirectS3Refused({
        bucketName: origin.bucketName,
        bucketRegion: origin.bucketRegion,
        key: probe.key,
        http: options.http,
      })),
    );
    if (options.website) {
      results.push(
        ...(await checkWebsite({ serviceDomain, originPathPrefix: origin.originPathPrefix, website: options.website, http: options.http })),
      );
    }
  } finally {
    results.push(await cleanUp(s3, origin.bucketName, probe.key, uploaded.versionId, probeTarget));
  }
  return verifyReport(results);
}

/** Deletes the uploaded version itself, so a versioned bucket keeps no noncurrent copy and no delete marker. */
async function cleanUp(
  s3: S3Sender,
  bucket: string,
  key: string,
  versionId: string | undefined,
  probeTarget: string,
): Promise<CheckResult> {
  const title = 'probe object removed';
  try {
    await removeProbe(s3, bucket, key, versionId);
    return { id: 'probe-cleanup', title, status: 'pass', detail: `${probeTarget}: deleted${versionId ? ` (version ${versionId})` : ''}` };
  } catch (error) {
    const command = versionId
      ? `aws s3api delete-object --bucket ${bucket} --key ${key} --version-id ${versionId}`
      : `aws s3 rm ${probeTarget}`;
    return { id: 'probe-cleanup', title, status: 'fail', detail: `${probeTarget}: ${(error as Error).message}; delete it: ${command}` };
  }
}
