import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import { originAccessFor } from '../origin-access';
import * as statements from './bucket-policy-statements';
import { ACKNOWLEDGED_FINDINGS, acknowledge } from './rule-acknowledgements';

/** How long S3 server access logs are kept. */
export const ACCESS_LOG_RETENTION_DAYS = 90;

/** Days after which an unfinished multipart upload (an interrupted publish) is aborted and its parts deleted. */
export const INCOMPLETE_UPLOAD_ABORT_DAYS = 7;

export interface OriginBucketProps {
  readonly site: SiteConfig;
}

/**
 * The S3 origin: encrypted, versioned, ACLs off, TLS-only, retained on stack deletion. Its Block Public Access
 * settings are the origin-access mode's; the stack adds the mode's Allow.
 */
export class OriginBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogs: s3.Bucket;
  public readonly arns: statements.BucketArns;

  constructor(scope: Construct, id: string, props: OriginBucketProps) {
    super(scope, id);
    const { site } = props;
    const mode = originAccessFor(site);
    // Server access logs record every direct S3 request, the evidence for "who read the bucket without the CDN".
    // In referer-secret mode they also record the secret (Referer field), so this bucket is as locked down as it gets.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      blockPublicAccess: new s3.BlockPublicAccess({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      }),
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.accessLogs, ACKNOWLEDGED_FINDINGS.accessLogBucketNotLoggedItself);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: site.bucket.name,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      blockPublicAccess: new s3.BlockPublicAccess(mode.blockPublicAccess),
      // Our own TLS statement (with a Sid) replaces enforceSSL's anonymous one, so tests and docs can name it.
      enforceSSL: false,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `${site.bucket.name}/`,
      // Every publish replaces objects in this versioned bucket: keep old versions for a while (a rollback window),
      // not forever, and clear multipart uploads an interrupted publish left behind.
      lifecycleRules: [
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(site.bucket.noncurrentVersionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_ABORT_DAYS),
          expiredObjectDeleteMarker: true,
        },
      ],
    });
    for (const finding of mode.bucketFindings) acknowledge(this.bucket, finding);
    this.arns = { bucketArn: this.bucket.bucketArn, objectsArn: this.bucket.arnForObjects('*') };
    this.bucket.addToResourcePolicy(statements.denyInsecureTransport(this.arns));
  }

  /** Adds a statement to the bucket policy (the mode-specific Allow). */
  allow(statement: iam.PolicyStatement): void {
    this.bucket.addToResourcePolicy(statement);
  }
}
