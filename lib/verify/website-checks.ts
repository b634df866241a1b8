import { randomBytes } from 'node:crypto';
import type { CheckResult } from './check-result';
import { describeRequestError, httpGet, type HttpClientOptions, type HttpResponse } from './http-client';

/** What the site is configured to serve, from website-functions (lib/ros), so verify checks what was deployed. */
export interface WebsiteExpectations {
  readonly indexDocument: string | false;
  readonly errorDocumentUrl?: string;
  readonly singlePageApp: boolean;
  readonly responseHeaders: Readonly<Record<string, string>>;
}

export interface WebsiteCheckOptions {
  readonly serviceDomain: string;
  readonly originPathPrefix: string;
  readonly website: WebsiteExpectations;
  readonly http?: HttpClientOptions;
  readonly randomHex?: () => string;
}

type Fetch = (url: string) => Promise<HttpResponse | Error>;

/**
 * The site as a visitor sees it: "/" serves the index document, an unknown path the error document (a redirect, as
 * Alibaba's error_page function answers) or in single-page-app mode the index document with 200, "/?list-type=2" no
 * bucket listing, and the configured response headers on every answer.
 */
export async function checkWebsite(options: WebsiteCheckOptions): Promise<CheckResult[]> {
  const base = `https://${options.serviceDomain}${options.originPathPrefix}`;
  const fetch: Fetch = (url) => httpGet(url, options.http).catch((error: unknown) => error as Error);
  const { website } = options;
  const results: CheckResult[] = [];
  const root = await fetch(base);

  if (website.indexDocument !== false) {
    const title = `"/" serves the index document (${website.indexDocument})`;
    const direct = await fetch(`${base}${website.indexDocument}`);
    if (root instanceof Error || direct instanceof Error) {
      results.push({
        id: 'index-document',
        title,
        status: 'fail',
        detail: `${base}: request failed: ${describeRequestError(root instanceof Error ? root : direct)}`,
      });
    } else if (direct.status !== 200) {
      // The index document itself is not served: a site deployed but not yet published. Whether "/" is rewritten to
      // it cannot be told yet, and a red verify right after the first deploy would only say "publish first".
      results.push({
        id: 'index-document',
        title,
        status: 'skip',
        detail: `${base}${website.indexDocument}: HTTP ${direct.status}; nothing to compare "/" with until the index document is published (npm run publish), then run verify again`,
      });
    } else if (root.status === 200 && root.body.equals(direct.body)) {
      results.push({
        id: 'index-document',
        title,
        status: 'pass',
        detail: `${base}: HTTP 200, the same ${root.body.length} bytes as ${website.indexDocument}`,
      });
    } else {
      results.push({
        id: 'index-document',
        title,
        status: 'fail',
        detail: `${base}: HTTP ${root.status}, ${website.indexDocument}: HTTP ${direct.status}; publish the index document, and check the back-to-origin URL rewrite`,
      });
    }
  }

  const unknown = `missing-${(options.randomHex ?? (() => randomBytes(8).toString('hex')))()}`;
  if (website.singlePageApp) {
    const title = 'an unknown route serves the index document with 200 (single-page app)';
    const url = `${base}app/${unknown}`;
    const response = await fetch(url);
    const index = website.indexDocument === false ? undefined : await fetch(`${base}${website.indexDocument}`);
    const ok =
      !(response instanceof Error) &&
      response.status === 200 &&
      index !== undefined &&
      !(index instanceof Error) &&
      response.body.equals(index.body);
    results.push({
      id: 'error-document',
      title,
      status: ok ? 'pass' : 'fail',
      detail: `${url}: ${response instanceof Error ? describeRequestError(response) : `HTTP ${response.status}`}`,
    });
  }
  if (website.errorDocumentUrl) {
    const title = 'an unknown file redirects to the error document';
    const url = `${base}${unknown}.txt`;
    const response = await fetch(url);
    const location = response instanceof Error ? undefined : response.headers.location;
    const ok = !(response instanceof Error) && response.status >= 301 && response.status <= 308 && location === website.errorDocumentUrl;
    results.push({
      id: 'error-document-redirect',
      title,
      status: ok ? 'pass' : 'fail',
      detail: `${url}: ${response instanceof Error ? describeRequestError(response) : `HTTP ${response.status}${location ? ` to ${location}` : ''}`}${ok ? '' : `; expected a redirect to ${website.errorDocumentUrl}`}`,
    });
  }

  const listingUrl = `${base}?list-type=2`;
  const listing = await fetch(listingUrl);
  if (listing instanceof Error) {
    results.push({
      id: 'no-listing',
      title: '"/?list-type=2" returns no bucket listing',
      status: 'fail',
      detail: `${listingUrl}: request failed: ${describeRequestError(listing)}`,
    });
  } else {
    const leaked = /<ListBucketResult|<ListAllMyBucketsResult/.test(listing.body.toString('utf8'));
    results.push({
      id: 'no-listing',
      title: '"/?list-type=2" returns no bucket listing',
      status: leaked ? 'fail' : 'pass',
      detail: `${listingUrl}: HTTP ${listing.status}${leaked ? ', the bucket key list: the CDN passed the query string to S3; the origin query strip is missing' : ', no key list'}`,
    });
  }

  const expected = Object.entries(website.responseHeaders);
  if (expected.length > 0) {
    const title = 'the configured response headers are set';
    if (root instanceof Error)
      results.push({ id: 'response-headers', title, status: 'fail', detail: `${base}: request failed: ${describeRequestError(root)}` });
    else {
      const missing = expected
        .filter(([name, value]) => root.headers[name.toLowerCase()] !== value)
        .map(([name, value]) => `${name}: ${value} (got ${JSON.stringify(root.headers[name.toLowerCase()] ?? null)})`);
      results.push({
        id: 'response-headers',
        title,
        status: missing.length === 0 ? 'pass' : 'fail',
        detail:
          missing.length === 0
            ? `${base}: ${expected.map(([name]) => name).join(', ')}`
            : `${base}: missing or different: ${missing.join('; ')}`,
      });
    }
  }
  return results;
}
