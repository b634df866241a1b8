import { CfnOutput, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import { OriginBucket } from './origin-bucket';

/** Output keys the deploy command reads from `cdk deploy --outputs-file` and passes to the ROS stack. */
export const ORIGIN_STACK_OUTPUTS = {
  bucketName: 'BucketName',
  bucketRegion: 'BucketRegion',
  originHost: 'OriginHost',
  originPathPrefix: 'OriginPathPrefix',
} as const;

export interface OriginStackProps extends StackProps {
  readonly site: SiteConfig;
}

/** The AWS side of one site: the origin bucket and its policy. */
export class OriginStack extends Stack {
  public readonly origin: OriginBucket;

  constructor(scope: Construct, id: string, props: OriginStackProps) {
    super(scope, id, props);
    const { site } = props;
    this.origin = new OriginBucket(this, 'Origin', { site });
    for (const [key, value] of Object.entries(site.tags)) Tags.of(this).add(key, value);

    new CfnOutput(this, ORIGIN_STACK_OUTPUTS.bucketName, { value: this.origin.bucket.bucketName, description: 'Origin bucket.' });
    new CfnOutput(this, ORIGIN_STACK_OUTPUTS.bucketRegion, { value: site.bucket.region, description: 'Origin bucket region.' });
    new CfnOutput(this, ORIGIN_STACK_OUTPUTS.originHost, { value: site.origin.host, description: 'S3 REST host the CDN fetches from (also its Host and SNI).' });
    new CfnOutput(this, ORIGIN_STACK_OUTPUTS.originPathPrefix, { value: site.origin.pathPrefix, description: 'Path every viewer URL starts with.' });
  }
}
