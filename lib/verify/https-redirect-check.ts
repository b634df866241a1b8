import { cdnUrl } from './cdn-fetch-check';
import type { CheckResult } from './check-result';
import { describeRequestError, httpGet, type HttpClientOptions } from './http-client';

export interface HttpsRedirectCheckOptions {
  readonly serviceDomain: string;
  readonly originPathPrefix: string;
  readonly key: string;
  readonly http?: HttpClientOptions;
}

// Permanent redirects only: a 302/307 is not cached by browsers and is not what force-HTTPS with HSTS intends.
const PERMANENT_REDIRECTS = new Set([301, 308]);

/** Plain HTTP to the service domain must be sent to the same URL over HTTPS, not served. */
export async function checkHttpsRedirect(options: HttpsRedirectCheckOptions): Promise<CheckResult> {
  const url = cdnUrl('http', options.serviceDomain, options.originPathPrefix, options.key);
  const base = { id: 'http-redirects-to-https', title: 'plain HTTP redirects to HTTPS' };
  try {
    const response = await httpGet(url, options.http);
    const location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
    if (!PERMANENT_REDIRECTS.has(response.status)) {
      const served = response.status === 200 ? ' (the content is served over plain HTTP)' : '';
      return {
        ...base,
        status: 'fail',
        detail: `${url}: HTTP ${response.status}${served}, expected 301 or 308 to https; turn on the CDN's force-HTTPS redirect.`,
      };
    }
    if (!location || !isHttpsOnDomain(location, options.serviceDomain)) {
      return {
        ...base,
        status: 'fail',
        detail: `${url}: HTTP ${response.status} to ${location ?? '(no Location header)'}, expected https://${options.serviceDomain}/...`,
      };
    }
    return { ...base, status: 'pass', detail: `${url}: HTTP ${response.status} -> ${location}` };
  } catch (error) {
    return { ...base, status: 'fail', detail: `${url}: request failed: ${describeRequestError(error)}.` };
  }
}

function isHttpsOnDomain(location: string, serviceDomain: string): boolean {
  try {
    const target = new URL(location);
    return target.protocol === 'https:' && target.hostname === serviceDomain.toLowerCase();
  } catch {
    return false;
  }
}
