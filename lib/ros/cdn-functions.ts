import type * as ros from '@alicloud/ros-cdk-core';
import type { CdnFunction } from './resource-types';

/**
 * Every CDN feature function this project sets, with its exact name and argument names from the CDN
 * "domain configuration functions" reference. Tests and docs import these builders rather than retyping the names.
 */

type ArgValue = string | ros.IResolvable;

function fn(functionName: string, args: Record<string, ArgValue>): CdnFunction {
  return { functionName, functionArgs: Object.entries(args).map(([argName, argValue]) => ({ argName, argValue })) };
}

/** Back-to-origin Host: S3 picks the bucket from Host, so it must be the S3 REST host, not the service domain. */
export const originHostHeader = (originHost: ArgValue) => fn('set_req_host_header', { domain_name: originHost });

/** TLS SNI on the origin connection; S3's certificate is chosen by it. */
export const originSni = (originHost: ArgValue) => fn('https_origin_sni', { enabled: 'on', https_origin_sni: originHost });

/** Always fetch the origin over HTTPS on 443, whatever scheme the viewer used; the bucket policy denies plain HTTP. */
export const forwardSchemeHttps = () => fn('forward_scheme', { enable: 'on', scheme_origin: 'https', scheme_origin_port: '443' });

// The origin-auth functions are defined with the modes that use them; they are listed here too so every function
// the CDN stack sets can be found in this file.
export { awsS3BucketAuth } from '../origin-access/signed';
export { originRequestHeader } from '../origin-access/referer-modes';

export const httpsForce = () => fn('https_force', { enable: 'on', https_rewrite: '301' });

export const hsts = (maxAgeSeconds: number) =>
  fn('HSTS', { enabled: 'on', https_hsts_max_age: String(maxAgeSeconds), https_hsts_include_subdomains: 'off' });

/** TLS 1.2 and 1.3 only. */
export const tlsVersions = () => fn('https_tls_version', { tls10: 'off', tls11: 'off', tls12: 'on', tls13: 'on' });

export const http2 = () => fn('https_option', { http2: 'on' });

export const fileTypeTtl = (fileTypes: readonly string[], ttlSeconds: number, weight?: number) =>
  fn('filetype_based_ttl_set', {
    ttl: String(ttlSeconds),
    file_type: fileTypes.join(','),
    ...(weight === undefined ? {} : { weight: String(weight) }),
  });

export const pathTtl = (path: string, ttlSeconds: number, weight?: number) =>
  fn('path_based_ttl_set', { ttl: String(ttlSeconds), path, ...(weight === undefined ? {} : { weight: String(weight) }) });

export const gzip = () => fn('gzip', { enable: 'on' });
export const brotli = () => fn('brotli', { enable: 'on' });

/** Viewer-side hotlink protection: only these Referer domains (and optionally none) are served. */
export const refererAllowList = (domains: readonly string[], allowEmpty: boolean) =>
  fn('referer_white_list_set', { refer_domain_allow_list: domains.join(','), allow_empty: allowEmpty ? 'on' : 'off' });

// Site-serving functions. Names and arguments from the CDN "domain configuration functions" reference
// (help.aliyun.com/zh/cdn/developer-reference/parameters-for-configuring-features-for-domain-names).

/**
 * back_to_origin_url_rewrite (FuncId 225): rewrites the path of the origin request only; the cache key and the
 * viewer's URL stay. flag "break" stops at the first matching rule and leaves the query alone. At most 50 rules per
 * domain ("Rewrite URLs in back-to-origin requests").
 */
export const originUrlRewrite = (sourceUrl: string, targetUrl: string) =>
  fn('back_to_origin_url_rewrite', { source_url: sourceUrl, target_url: targetUrl, flag: 'break' });

/**
 * back_to_origin_argument_rewrite (FuncId 224) with ignore_all_argument on: no viewer query string reaches S3, so a
 * signed origin request can never become a listing (?list-type=2) or a sub-resource (?acl, ?versions, ?policy).
 */
export const stripOriginQuery = () => fn('back_to_origin_argument_rewrite', { enable: 'on', ignore_all_argument: 'on' });

/** error_page (FuncId 15): the CDN answers this status with a redirect to rewrite_page, a full URL. */
export const errorPage = (statusCode: number, pageUrl: string) =>
  fn('error_page', { error_code: String(statusCode), rewrite_page: pageUrl });

/**
 * set_resp_header (FuncId 27): a header on every response the CDN sends to viewers. access_origin_control "on" makes
 * the CDN check the viewer's Origin against the listed origins (its CORS validation).
 */
export const responseHeader = (name: string, value: string, options: { readonly corsCheck?: boolean } = {}) =>
  fn('set_resp_header', {
    key: name,
    value,
    header_operation_type: 'add',
    duplicate: 'off',
    ...(options.corsCheck ? { access_origin_control: 'on' } : {}),
  });
