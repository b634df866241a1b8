/**
 * Regional S3 REST host names (S3 User Guide, "Virtual hosting of buckets" and "dual-stack endpoints"). The origin
 * outputs are checked against these, and verify builds its direct-access URLs from them.
 */
export function s3DomainSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

export function s3VirtualHostedHost(bucket: string, region: string, options: { dualStack?: boolean } = {}): string {
  return `${bucket}.s3.${options.dualStack ? 'dualstack.' : ''}${region}.${s3DomainSuffix(region)}`;
}

export function s3PathStyleHost(region: string, options: { dualStack?: boolean } = {}): string {
  return `s3.${options.dualStack ? 'dualstack.' : ''}${region}.${s3DomainSuffix(region)}`;
}
