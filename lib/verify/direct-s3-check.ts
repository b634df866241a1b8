import { originHostFor } from '../config/naming';
import { encodeKey } from './cdn-fetch-check';
import type { CheckResult } from './check-result';
import { describeRequestError, httpGet, type HttpClientOptions } from './http-client';

export interface DirectS3CheckOptions {
  readonly bucketName: string;
  readonly bucketRegion: string;
  readonly key: string;
  readonly http?: HttpClientOptions;
}

/**
 * An unsigned GET for an object that exists, straight to S3 in both URL styles, must be refused: that is the hole
 * the guide's readers found. Both styles are tried because each reaches the same bucket through a different host,
 * whichever style the CDN itself uses.
 */
export async function checkDirectS3Refused(options: DirectS3CheckOptions): Promise<CheckResult[]> {
  const key = encodeKey(options.key);
  const virtualHosted = `https://${originHostFor(options.bucketName, options.bucketRegion, 'virtual-hosted')}/${key}`;
  const pathStyle = `https://${originHostFor(options.bucketName, options.bucketRegion, 'path')}/${options.bucketName}/${key}`;
  const virtualResult: Promise<CheckResult> = options.bucketName.includes('.')
    ? Promise.resolve({
        id: 'direct-s3-virtual-hosted-refused',
        title: 'direct S3 GET (virtual-hosted) refused',
        status: 'skip',
        detail: `${virtualHosted}: bucket names with dots do not match S3's wildcard certificate in virtual-hosted style, so this URL cannot be tested over HTTPS.`,
      })
    : expect403('direct-s3-virtual-hosted-refused', 'direct S3 GET (virtual-hosted) refused', virtualHosted, options.http);
  return [
    await virtualResult,
    await expect403('direct-s3-path-style-refused', 'direct S3 GET (path-style) refused', pathStyle, options.http),
  ];
}

async function expect403(id: string, title: string, url: string, http: HttpClientOptions | undefined): Promise<CheckResult> {
  const base = { id, title };
  try {
    const response = await httpGet(url, http);
    if (response.status === 403) return { ...base, status: 'pass', detail: `${url}: HTTP 403 without a signature` };
    const reason =
      response.status === 200
        ? 'the object is readable without the CDN: the bucket policy or ACLs grant public read'
        : 'expected 403 for an existing object';
    return { ...base, status: 'fail', detail: `${url}: HTTP ${response.status}; ${reason}.` };
  } catch (error) {
    return { ...base, status: 'fail', detail: `${url}: request failed: ${describeRequestError(error)}.` };
  }
}
