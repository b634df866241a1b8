import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import { type BucketArns, type CdnArgValue, cdnFunction, OriginAccessError, type OriginAccessMode } from './origin-access-mode';
import { secretNamesFor } from './secret-names';

/**
 * `signed` (the default): the bucket stays private, and the CDN signs every origin request (`aws_s3_bucket`) with the
 * access key of a read-only IAM user. A direct S3 request gets 403 whatever headers it carries.
 */

/** The findings the reader accepts; cdk-nag reports IAM5 per finding, so `findingFor` names the one allowed. */
export const SIGNED_FINDINGS = {
  readerReadsEveryObject: {
    id: 'AwsSolutions-IAM5',
    findingFor: (bucketLogicalId: string) => `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
    reason:
      'The CDN origin reader must be able to fetch any object the CDN serves, so its GetObject is on <bucket>/*; it has ' +
      'no other action and no other resource.',
  },
  rotationDrivenByDeploy: {
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotation is the two-phase, zero-downtime procedure run by the deploy command (README, "Rotation"): the CDN must ' +
      'receive the new value between the phases, which a Secrets Manager rotation Lambda cannot do.',
  },
} as const;

/** Output keys (CloudFormation logical ids): where the reader's key pair is kept (an ARN, never the key), and who it is. */
export const SIGNED_OUTPUTS = {
  readerSecretArn: 'ReaderSecretArn',
  readerUserName: 'ReaderUserName',
} as const;

/** ROS parameters carrying the reader's key pair to the CDN. */
export const SIGNED_ROS_PARAMETERS = {
  readerAccessKeyId: 'ReaderAccessKeyId',
  readerSecretAccessKey: 'ReaderSecretAccessKey',
} as const;

/** Actions the reader may perform: read objects, and optionally list so missing keys give 404. */
export function readerStatements(arns: BucketArns, canList: boolean): iam.PolicyStatement[] {
  const read = new iam.PolicyStatement({ sid: 'ReadObjects', actions: ['s3:GetObject'], resources: [arns.objectsArn] });
  if (!canList) return [read];
  return [read, new iam.PolicyStatement({ sid: 'ListBucket', actions: ['s3:ListBucket'], resources: [arns.bucketArn] })];
}

/**
 * Where the CDN keeps the reader key it signs with: the deploy reads it back (DescribeCdnDomainConfigs) to prove the
 * CDN holds the stored key. Only the access key id is compared; the secret argument is never read back.
 */
export const SIGNED_CDN_KEY_LOCATION = {
  functionName: 'aws_s3_bucket',
  enabledArg: 'enabled',
  enabledValue: 'l2',
  accessKeyIdArg: 'accesskey',
} as const;

/** Signs origin requests to a private bucket with an AWS access key ("enabled" is "l2", not "on"). */
export const awsS3BucketAuth = (args: {
  accessKeyId: CdnArgValue;
  secretAccessKey: CdnArgValue;
  region: CdnArgValue;
  bucketName: CdnArgValue;
}) =>
  cdnFunction(SIGNED_CDN_KEY_LOCATION.functionName, {
    enabled: SIGNED_CDN_KEY_LOCATION.enabledValue,
    accesskey: args.accessKeyId,
    secretkey: args.secretAccessKey,
    region: args.region,
    bucketname: args.bucketName,
  });

export interface OriginReaderProps {
  readonly site: SiteConfig;
  readonly arns: BucketArns;
  /** Logical id of the origin bucket, which names the one wildcard finding this reader is allowed. */
  readonly bucketLogicalId: string;
}

/**
 * The read-only IAM identity whose access key the CDN signs origin requests with.
 *
 * The access key itself is not a stack resource. The deploy command creates it through the IAM API and stores it in
 * the secret declared here, so the key never passes through a template, CloudFormation state or a stack output; and
 * rotation (two keys during rollover) needs no template change.
 */
export class OriginReader extends Construct {
  public readonly user: iam.User;
  public readonly keySecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: OriginReaderProps) {
    super(scope, id);
    this.user = new iam.User(this, 'User');
    const policy = new iam.Policy(this, 'ReadOnlyPolicy', {
      statements: readerStatements(props.arns, props.site.originAccess.readerCanList),
    });
    policy.attachToUser(this.user);
    const { findingFor, reason } = SIGNED_FINDINGS.readerReadsEveryObject;
    Validations.of(policy).acknowledge({ id: findingFor(props.bucketLogicalId), reason });
    this.keySecret = new secretsmanager.Secret(this, 'KeySecret', {
      secretName: secretNamesFor(props.site).readerKey,
      description: `Access key of the CDN origin reader for ${props.site.domain}; written by the deploy command.`,
      // A random placeholder until the deploy command stores the real key pair; no key material is in the template.
      generateSecretString: { secretStringTemplate: JSON.stringify({ state: 'awaiting-first-deploy' }), generateStringKey: 'placeholder' },
    });
    const { id: smgId, reason: smgReason } = SIGNED_FINDINGS.rotationDrivenByDeploy;
    Validations.of(this.keySecret).acknowledge({ id: smgId, reason: smgReason });
  }
}

export const signed: OriginAccessMode = {
  name: 'signed',
  blockPublicAccess: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
  bucketFindings: [],

  // The bucket policy stays TLS-only: the reader's identity policy grants the read, and Block Public Access (all four
  // on) rules out any public grant.
  addOriginResources({ scope, site, arns, bucketLogicalId }) {
    const reader = new OriginReader(scope, 'Reader', { site, arns, bucketLogicalId });
    return {
      bucketStatements: [],
      outputValues: { [SIGNED_OUTPUTS.readerSecretArn]: reader.keySecret.secretArn, [SIGNED_OUTPUTS.readerUserName]: reader.user.userName },
      construct: reader,
    };
  },
  originOutputs: [
    { key: SIGNED_OUTPUTS.readerSecretArn, description: 'Secrets Manager secret holding the reader key pair.', shape: 'secret-arn' },
    { key: SIGNED_OUTPUTS.readerUserName, description: 'IAM user the CDN signs origin requests as.', shape: 'iam-user-name' },
  ],

  rosSecretParameters: [
    {
      name: SIGNED_ROS_PARAMETERS.readerAccessKeyId,
      description: 'Access key id of the read-only origin reader (from AWS Secrets Manager).',
    },
    {
      name: SIGNED_ROS_PARAMETERS.readerSecretAccessKey,
      description: 'Secret access key of the origin reader (from AWS Secrets Manager).',
    },
  ],
  cdnAuthFunctions: ({ bucketName, bucketRegion, secretParameters }) => [
    awsS3BucketAuth({
      accessKeyId: secretParameters[SIGNED_ROS_PARAMETERS.readerAccessKeyId],
      secretAccessKey: secretParameters[SIGNED_ROS_PARAMETERS.readerSecretAccessKey],
      region: bucketRegion,
      bucketName,
    }),
  ],
  // aws_s3_bucket is one config per domain: a new DomainConfig overwrites it in place (see lib/ros/cdn-stack.ts).
  cdnAuthOnRemoval: 'retain',
  rosParameterValues({ secrets }) {
    const pair = secrets['reader-key'];
    if (!pair)
      throw new OriginAccessError(
        'DEPLOY_FAILED',
        'signed mode: the reader key pair was not read, so the CDN cannot sign origin requests.',
      );
    return {
      parameters: {
        [SIGNED_ROS_PARAMETERS.readerAccessKeyId]: pair.accessKeyId,
        [SIGNED_ROS_PARAMETERS.readerSecretAccessKey]: pair.secretAccessKey,
      },
      noEcho: [SIGNED_ROS_PARAMETERS.readerAccessKeyId, SIGNED_ROS_PARAMETERS.readerSecretAccessKey],
    };
  },

  // A private bucket needs no public policy, so account-level Block Public Access cannot break this mode.
  preflight: {
    accountBlockPublicAccessOff: [],
    secret: { kind: 'reader-key', secretName: (site) => secretNamesFor(site).readerKey, ensure: 'after-origin-deploy' },
  },
  rotationTarget: 'reader-key',
  secretHeaders: [],
};
