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

export type OriginUrlStyle = 'virtual-hosted' | 'path';

/** The S3 REST host the CDN fetches from; also the Host and SNI it must send, or S3 looks for the wrong bucket. */
export function originHostFor(bucket: string, region: string, style: OriginUrlStyle): string {
  return style === 'path' ? `s3.${region}.amazonaws.com` : `${bucket}.s3.${region}.amazonaws.com`;
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
