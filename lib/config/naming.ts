/**
 * Names and endpoints derived from configuration. Both apps, the CLI and the tests call these, so a stack name or
 * an origin host is computed in exactly one place.
 */

export const PROJECT_PREFIX = 's3alicdn';

/** A stable, DNS-safe id for a site: its domain with dots turned into hyphens. */
export function siteIdFor(domain: string): string {
  return domain.replace(/\./g, '-');
}

export interface StackNames {
  /** AWS CloudFormation stack with the bucket, its policy and (signed mode) the reader identity. */
  readonly origin: string;
  /** Alibaba ROS stack with the CDN domain, its functions, the certificate binding and the Alibaba DNS record. */
  readonly cdn: string;
  /** AWS stack with the Route 53 record, only when dns.provider is route53. */
  readonly route53: string;
}

// Both CloudFormation (128 chars, [A-Za-z][A-Za-z0-9-]*) and ROS accept these names, so one scheme serves both clouds.
export function stackNamesFor(stage: string, siteId: string): StackNames {
  const base = `${PROJECT_PREFIX}-${stage}-${siteId}`;
  return { origin: `${base}-origin`, cdn: `${base}-cdn`, route53: `${base}-dns` };
}

/**
 * Where `verify` writes its probe objects. One prefix, so a lifecycle rule or a listing finds any probe a crash left
 * behind, and so the CI role (lib/ci-identity) may write and delete there and nowhere else in the bucket.
 */
export const VERIFY_PROBE_PREFIX = 'verify-probe/';

export type OriginUrlStyle = 'virtual-hosted' | 'path';

export interface S3HostOptions {
  /** The dual-stack (IPv4 and IPv6) endpoint, s3.dualstack.<region>... */
  readonly dualStack?: boolean;
}

/** S3 User Guide, "Virtual hosting of buckets": the China regions live under their own domain. */
export function s3DomainSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The regional virtual-hosted-style S3 REST host of a bucket: <bucket>.s3.<region>.amazonaws.com. */
export function s3VirtualHostedHost(bucket: string, region: string, options: S3HostOptions = {}): string {
  return `${bucket}.${s3PathStyleHost(region, options)}`;
}

/** The regional path-style S3 REST host: s3.<region>.amazonaws.com (the bucket goes in the path). */
export function s3PathStyleHost(region: string, options: S3HostOptions = {}): string {
  return `s3.${options.dualStack ? 'dualstack.' : ''}${region}.${s3DomainSuffix(region)}`;
}

/** The S3 REST host the CDN fetches from; also the Host and SNI it must send, or S3 looks for the wrong bucket. */
export function originHostFor(bucket: string, region: string, style: OriginUrlStyle): string {
  return style === 'path' ? s3PathStyleHost(region) : s3VirtualHostedHost(bucket, region);
}

/** Path every viewer URL starts with: path-style origins need the bucket as the first segment. */
export function originPathPrefixFor(bucket: string, style: OriginUrlStyle): string {
  return style === 'path' ? `/${bucket}/` : '/';
}

export function serviceUrlFor(domain: string, pathPrefix: string): string {
  return `https://${domain}${pathPrefix}`;
}

/** DNS zone and record name defaults: the domain minus its first label, or the apex for a two-label domain. */
export function defaultDnsFor(domain: string): { zone: string; recordName: string } {
  const labels = domain.split('.');
  if (labels.length <= 2) return { zone: domain, recordName: '@' };
  return { zone: labels.slice(1).join('.'), recordName: labels[0] };
}

export function recordNameFor(domain: string, zone: string): string {
  return domain === zone ? '@' : domain.slice(0, -(zone.length + 1));
}

/**
 * The Certificate Management Service region a certificate lives in, as SetCdnDomainSSLCertificate's CertRegion names
 * it: "cn-hangzhou" (the default) or "ap-southeast-1", which the API reference advises for international-site accounts
 * (CDN API 2018-05-10, SetCdnDomainSSLCertificate). A stage whose ROS stacks live in a mainland China region
 * (`cn-*`, Hong Kong excepted) is a China-site deployment; any other region an international one.
 */
export function casRegionFor(alibabaRegion: string): 'cn-hangzhou' | 'ap-southeast-1' {
  return alibabaRegion.startsWith('cn-') && alibabaRegion !== 'cn-hongkong' ? 'cn-hangzhou' : 'ap-southeast-1';
}
