import type { CheckResult } from './check-result';
import { describeRequestError, httpGet, type HttpClientOptions } from './http-client';
import type { ProbeObject } from './probe-object';

export interface CdnFetchCheckOptions {
  readonly serviceDomain: string;
  /** "/" or "/<bucket>/": the CDN passes the viewer path through to the origin. */
  readonly originPathPrefix: string;
  readonly probe: ProbeObject;
  readonly http?: HttpClientOptions;
}

const HINTS: Readonly<Record<number, string>> = {
  403: 'the origin refused the CDN: check the origin auth (the signing key in signed mode, the Referer rewrite in the referer modes) and the origin Host',
  404: 'the origin has no such object: check the origin host and path style (virtual-hosted vs path-style)',
  502: 'the CDN could not reach the origin: check the origin host, port 443 and back-to-origin SNI',
  504: 'the CDN timed out on the origin',
};

/** Fetches the probe through the CDN over HTTPS and compares it byte for byte with what was uploaded. */
export async function checkCdnFetch(options: CdnFetchCheckOptions): Promise<CheckResult> {
  const url = cdnUrl('https', options.serviceDomain, options.originPathPrefix, options.probe.key);
  const base = { id: 'cdn-https-fetch', title: 'CDN serves the probe over HTTPS' };
  try {
    const response = await httpGet(url, options.http);
    if (response.status !== 200) {
      const hint = HINTS[response.status];
      return { ...base, status: 'fail', detail: `${url}: HTTP ${response.status}, expected 200${hint ? `; ${hint}` : ''}.` };
    }
    if (!response.body.equals(options.probe.body)) {
      return {
        ...base,
        status: 'fail',
        detail: `${url}: HTTP 200 but the ${response.body.length} bytes differ from the ${options.probe.body.length}-byte probe (a stale cache or a different object).`,
      };
    }
    return { ...base, status: 'pass', detail: `${url}: HTTP 200, ${response.body.length} bytes identical to the probe.` };
  } catch (error) {
    return { ...base, status: 'fail', detail: `${url}: request failed: ${describeRequestError(error)}.` };
  }
}

export function cdnUrl(scheme: 'http' | 'https', serviceDomain: string, originPathPrefix: string, key: string): string {
  return `${scheme}://${serviceDomain}${originPathPrefix}${encodeKey(key)}`;
}

/** Object keys are paths: keep "/" but escape everything else as S3 and the CDN expect. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
