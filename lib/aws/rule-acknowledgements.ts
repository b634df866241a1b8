import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { PUBLIC_POLICY_FINDING } from '../origin-access/referer-modes';
import { SIGNED_FINDINGS } from '../origin-access/signed';

/**
 * Every cdk-nag finding this project accepts, with the reason, listed in one place. Each is acknowledged on the narrowest
 * construct it applies to, so the same finding anywhere else still fails synth.
 */
export const ACKNOWLEDGED_FINDINGS = {
  // The origin-access modes' findings are defined with their modes, beside the resources they are about.
  publicPolicyInRefererModes: PUBLIC_POLICY_FINDING,
  readerReadsEveryObject: SIGNED_FINDINGS.readerReadsEveryObject,
  rotationDrivenByDeploy: SIGNED_FINDINGS.rotationDrivenByDeploy,
  accessLogBucketNotLoggedItself: {
    id: 'AwsSolutions-S1',
    reason: 'This is the server-access-log bucket; logging it into itself (or another bucket) would loop or sprawl.',
  },
} as const;

export function acknowledge(scope: IConstruct, finding: { id: string; reason: string }): void {
  Validations.of(scope).acknowledge({ id: finding.id, reason: finding.reason });
}
