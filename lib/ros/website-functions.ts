import type { SiteConfig } from '../config/resolve-stage';
import * as cdn from './cdn-functions';
import type { CdnFunction } from './resource-types';

/** The security headers every site gets unless website.securityHeaders is false. */
export const SECURITY_HEADER_PRESET: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/** Escapes a literal path for the rewrite rules' regular expressions (bucket names carry hyphens, keys dots). */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The back-to-origin URL rewrite rules of a site, first match wins ("break"). `prefix` is "/" (virtual-hosted) or
 * "/<bucket>/" (path-style), so both URL styles are covered by the same rules.
 * - index documents: "/" and ".../" fetch ".../index.html" (S3's REST endpoint would list the bucket for "/").
 * - single-page app: any path whose last segment has no dot (so "/", "/about", "/a/b/") fetches the root index
 *   document, which S3 answers with 200; paths with a file extension are fetched as they are.
 */
export function originRewriteRules(site: SiteConfig): Array<{ source: string; target: string }> {
  const index = site.website.indexDocument;
  if (index === false) return [];
  const prefix = site.origin.pathPrefix;
  // "/<bucket>" without its slash is a listing too in path style, so the root rule takes the slash as optional.
  const root = { source: `^${literal(prefix.slice(0, -1))}/?$`, target: `${prefix}${index}` };
  if (site.website.singlePageApp) {
    return [root, { source: `^${literal(prefix)}(.*/)?[^./]*$`, target: `${prefix}${index}` }];
  }
  return [root, { source: `^${literal(prefix)}(.*/)$`, target: `${prefix}$1${index}` }];
}

/** The response headers the CDN adds, by name. */
export function responseHeadersFor(site: SiteConfig): Record<string, string> {
  const headers: Record<string, string> = site.website.securityHeaders ? { ...SECURITY_HEADER_PRESET } : {};
  if (site.website.contentSecurityPolicy) headers['Content-Security-Policy'] = site.website.contentSecurityPolicy;
  if (site.website.frameOptions) headers['X-Frame-Options'] = site.website.frameOptions;
  if (site.website.corsOrigins.length > 0) headers['Access-Control-Allow-Origin'] = site.website.corsOrigins.join(',');
  return headers;
}

/** The URL the CDN's error page redirects to. */
export function errorDocumentUrl(site: SiteConfig): string | undefined {
  return site.website.errorDocument ? `https://${site.domain}${site.origin.pathPrefix}${site.website.errorDocument}` : undefined;
}

/**
 * What the site serves, as CDN functions: the origin query stripped (always: no viewer request may list the bucket
 * or reach a sub-resource), the index/single-page-app rewrites, error pages for 403 and 404 (a private bucket answers
 * 403 for a missing key unless the reader may list), and the response headers.
 */
export function websiteFunctions(site: SiteConfig): CdnFunction[] {
  const errorUrl = errorDocumentUrl(site);
  return [
    cdn.stripOriginQuery(),
    ...originRewriteRules(site).map((rule) => cdn.originUrlRewrite(rule.source, rule.target)),
    ...(errorUrl ? [403, 404].map((status) => cdn.errorPage(status, errorUrl)) : []),
    ...Object.entries(responseHeadersFor(site)).map(([name, value]) =>
      cdn.responseHeader(name, value, { corsCheck: name === 'Access-Control-Allow-Origin' && value !== '*' }),
    ),
  ];
}
