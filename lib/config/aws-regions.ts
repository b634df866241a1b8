/**
 * AWS commercial-partition regions, i.e. what `bucket.region` may name. Written out rather than read from
 * aws-cdk-lib's RegionInfo at run time: loading that module's fact tables costs about 0.2 s, and every command
 * (publish included) validates the configuration. A test compares this list with RegionInfo of the installed
 * aws-cdk-lib, so an upgrade that adds a region says so. Other partitions are left out on purpose: their S3 hosts end
 * in amazonaws.com.cn or similar, which the origin-host derivation here does not build.
 */
export const AWS_COMMERCIAL_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'me-west-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];
