import { type CfnElement, CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { type Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import { originAccessFor } from '../origin-access';
import { OriginReader } from '../origin-access/signed';
import { OriginBucket } from './origin-bucket';
import { ORIGIN_STACK_OUTPUTS } from './stack-interface';

export { ORIGIN_STACK_OUTPUTS };

export interface OriginStackProps extends StackProps {
  readonly site: SiteConfig;
}

/** The AWS side of one site: the origin bucket, its policy, and what the CDN authenticates with in its mode. */
export class OriginStack extends Stack {
  public readonly origin: OriginBucket;
  /** The origin-access mode's own resources (the signed reader, the referer secret's reference), if it has any. */
  public readonly originAccess?: Construct;

  constructor(scope: Construct, id: string, props: OriginStackProps) {
    super(scope, id, props);
    const { site } = props;
    this.origin = new OriginBucket(this, 'Origin', { site });
    for (const [key, value] of Object.entries(site.tags)) Tags.of(this).add(key, value);

    const output = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description });
    const mode = originAccessFor(site);
    const added = mode.addOriginResources({
      scope: this,
      site,
      arns: this.origin.arns,
      bucketLogicalId: this.getLogicalId(this.origin.bucket.node.defaultChild as CfnElement),
    });
    this.originAccess = added.construct;
    for (const statement of added.bucketStatements) this.origin.allow(statement);
    for (const { key, description } of mode.originOutputs) output(key, added.outputValues[key], description);

    output(ORIGIN_STACK_OUTPUTS.bucketName, this.origin.bucket.bucketName, 'Origin bucket.');
    output(ORIGIN_STACK_OUTPUTS.bucketRegion, site.bucket.region, 'Origin bucket region.');
    output(ORIGIN_STACK_OUTPUTS.originHost, site.origin.host, 'S3 REST host the CDN fetches from (also its Host and SNI).');
    output(ORIGIN_STACK_OUTPUTS.originPathPrefix, site.origin.pathPrefix, 'Path every viewer URL starts with.');
  }

  /** signed mode: the read-only identity the CDN signs as. */
  get reader(): OriginReader | undefined {
    return this.originAccess instanceof OriginReader ? this.originAccess : undefined;
  }
}
