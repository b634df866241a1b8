import { CfnElement, CfnOutput, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import * as statements from './bucket-policy-statements';
import { OriginBucket } from './origin-bucket';
import { OriginReader } from './origin-reader';
import { RefererSecret, refererSecretVersionContextKey } from './referer-secret';
import { ORIGIN_STACK_OUTPUTS } from './stack-interface';

export { ORIGIN_STACK_OUTPUTS };

export interface OriginStackProps extends StackProps {
  readonly site: SiteConfig;
}

/** The AWS side of one site: the origin bucket, its policy, and what the CDN authenticates with in its mode. */
export class OriginStack extends Stack {
  public readonly origin: OriginBucket;
  public readonly reader?: OriginReader;
  public readonly refererSecret?: RefererSecret;

  constructor(scope: Construct, id: string, props: OriginStackProps) {
    super(scope, id, props);
    const { site } = props;
    this.origin = new OriginBucket(this, 'Origin', { site });
    for (const [key, value] of Object.entries(site.tags)) Tags.of(this).add(key, value);

    const output = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description });
    switch (site.originAccess.mode) {
      case 'signed':
        // The bucket policy stays TLS-only: the reader's identity policy grants the read, and Block Public Access
        // (all four on) rules out any public grant.
        this.reader = new OriginReader(this, 'Reader', {
          site,
          arns: this.origin.arns,
          bucketLogicalId: this.getLogicalId(this.origin.bucket.node.defaultChild as CfnElement),
        });
        output(ORIGIN_STACK_OUTPUTS.readerSecretArn, this.reader.keySecret.secretArn, 'Secrets Manager secret holding the reader key pair.');
        output(ORIGIN_STACK_OUTPUTS.readerUserName, this.reader.user.userName, 'IAM user the CDN signs origin requests as.');
        break;
      case 'referer-secret':
        this.refererSecret = new RefererSecret(this, 'RefererSecret', {
          site,
          versionId: this.node.tryGetContext(refererSecretVersionContextKey(site.id)),
        });
        this.origin.allow(statements.allowGetObjectByRefererSecret(this.origin.arns, this.refererSecret.acceptedValues()));
        output(ORIGIN_STACK_OUTPUTS.refererSecretArn, this.refererSecret.secretArn, 'Secrets Manager secret holding the Referer value.');
        break;
      case 'referer':
        this.origin.allow(statements.allowGetObjectByServiceDomainReferer(this.origin.arns, site.domain));
        break;
    }

    output(ORIGIN_STACK_OUTPUTS.bucketName, this.origin.bucket.bucketName, 'Origin bucket.');
    output(ORIGIN_STACK_OUTPUTS.bucketRegion, site.bucket.region, 'Origin bucket region.');
    output(ORIGIN_STACK_OUTPUTS.originHost, site.origin.host, 'S3 REST host the CDN fetches from (also its Host and SNI).');
    output(ORIGIN_STACK_OUTPUTS.originPathPrefix, site.origin.pathPrefix, 'Path every viewer URL starts with.');
  }
}
