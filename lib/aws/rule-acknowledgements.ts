import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding this project accepts, with the reason, in one place. Each is acknowledged on the narrowest
 * construct it applies to, so the same finding anywhere else still fails synth.
 */
export const ACKNOWLEDGED_FINDINGS = {
  publicPolicyInRefererModes: {
    id: 'AwsSolutions-S2',
    reason:
      'referer modes need a Principal "*" GetObject statement conditioned on aws:Referer, which S3 classifies as public; ' +
      'BlockPublicPolicy/RestrictPublicBuckets must stay off for it to work. ACL blocking stays on. The weakness is ' +
      'documented with the mode; the default mode (signed) keeps all four flags on.',
  },
  /** cdk-nag reports IAM5 per finding; `findingFor` names the one allowed finding: GetObject on this bucket's objects. */
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
  accessLogBucketNotLoggedItself: {
    id: 'AwsSolutions-S1',
    reason: 'This is the server-access-log bucket; logging it into itself (or another bucket) would loop or sprawl.',
  },
} as const;

export function acknowledge(scope: IConstruct, finding: { id: string; reason: string }): void {
  Validations.of(scope).acknowledge({ id: finding.id, reason: finding.reason });
}
