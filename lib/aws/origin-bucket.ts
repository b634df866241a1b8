import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import * as statements from './bucket-policy-statements';

export interface OriginBucketProps {
  readonly site: SiteConfig;
}

/**
 * Block Public Access per origin-access mode, all four flags always given: with the
 * `@aws-cdk/aws-s3:publicAccessBlockedByDefault` flag, CDK turns any omitted flag on.
 */
export function blockPublicAccessFor(mode: SiteConfig['originAccess']['mode']): s3.BlockPublicAccess {
  if (mode === 'signed') {
    return new s3.BlockPublicAccess({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
  }
  // The referer modes need a Principal "*" policy, which S3 classifies as public whatever the condition says.
  return new s3.BlockPublicAccess({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false });
}

/** The S3 origin: encrypted, versioned, ACLs off, TLS-only, retained on stack deletion, policy per mode. */
export class OriginBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: OriginBucketProps) {
    super(scope, id);
    const { site } = props;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: site.bucket.name,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      blockPublicAccess: blockPublicAccessFor(site.originAccess.mode),
      // Our own TLS statement (with a Sid) replaces enforceSSL's anonymous one, so tests and docs can name it.
      enforceSSL: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const arns = { bucketArn: this.bucket.bucketArn, objectsArn: this.bucket.arnForObjects('*') };
    this.bucket.addToResourcePolicy(statements.denyInsecureTransport(arns));
    switch (site.originAccess.mode) {
      case 'referer':
        this.bucket.addToResourcePolicy(statements.allowGetObjectByServiceDomainReferer(arns, site.domain));
        break;
      default:
        throw new Error(`originAccess.mode "${site.originAccess.mode}" is not implemented yet in the origin stack`);
    }
  }
}
