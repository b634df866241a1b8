import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * AWS commercial-partition regions known to this aws-cdk-lib. Other partitions are left out on purpose: their S3
 * hosts end in amazonaws.com.cn or similar, which the origin-host derivation here does not build.
 */
export const AWS_COMMERCIAL_REGIONS: readonly string[] = RegionInfo.regions
  .filter((region) => region.partition === 'aws')
  .map((region) => region.name)
  .sort();
