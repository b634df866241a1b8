import * as iam from 'aws-cdk-lib/aws-iam';
import type { BucketArns } from '../origin-access';
import { REFERER_STATEMENT_ID } from '../origin-access/referer';
import { REFERER_SECRET_STATEMENT_ID } from '../origin-access/referer-secret';

export type { BucketArns };

/**
 * The origin bucket's policy statement ids. Tests, the policy-evaluation matrix and docs/origin-access.md refer to these Sids
 * rather than retyping the statements. The mode-specific Allow statements live with their modes in lib/origin-access;
 * what every mode shares stays here.
 */
export const STATEMENT_IDS = {
  denyInsecureTransport: 'DenyInsecureTransport',
  allowCdnByReferer: REFERER_STATEMENT_ID,
  allowCdnByRefererSecret: REFERER_SECRET_STATEMENT_ID,
} as const;

/** Every mode: any request not made over TLS is denied, including the CDN's, so its origin fetch must be HTTPS. */
export function denyInsecureTransport(arns: BucketArns): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: STATEMENT_IDS.denyInsecureTransport,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:*'],
    resources: [arns.bucketArn, arns.objectsArn],
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  });
}
