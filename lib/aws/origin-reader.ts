import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import { BucketArns, readerStatements } from './bucket-policy-statements';
import { ACKNOWLEDGED_FINDINGS, acknowledge } from './rule-acknowledgements';
import { secretNamesFor } from './secret-names';

export interface OriginReaderProps {
  readonly site: SiteConfig;
  readonly arns: BucketArns;
  /** Logical id of the origin bucket, which names the one wildcard finding this reader is allowed. */
  readonly bucketLogicalId: string;
}

/**
 * signed mode: the read-only IAM identity whose access key the CDN signs origin requests with (`aws_s3_bucket`).
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
    const { findingFor, reason } = ACKNOWLEDGED_FINDINGS.readerReadsEveryObject;
    acknowledge(policy, { id: findingFor(props.bucketLogicalId), reason });
    this.keySecret = new secretsmanager.Secret(this, 'KeySecret', {
      secretName: secretNamesFor(props.site).readerKey,
      description: `Access key of the CDN origin reader for ${props.site.domain}; written by the deploy command.`,
      // A random placeholder until the deploy command stores the real key pair; no key material is in the template.
      generateSecretString: { secretStringTemplate: JSON.stringify({ state: 'awaiting-first-deploy' }), generateStringKey: 'placeholder' },
    });
    acknowledge(this.keySecret, ACKNOWLEDGED_FINDINGS.rotationDrivenByDeploy);
  }
}
