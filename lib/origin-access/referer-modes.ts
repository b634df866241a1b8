import {
  type AcknowledgedFinding,
  type BlockPublicAccessFlags,
  type CdnArgValue,
  cdnFunction,
  type PreflightNeeds,
} from './origin-access-mode';

/**
 * What the two referer modes share: the CDN sets Referer on every origin request, and the bucket policy grants
 * `Principal: "*"` GetObject on a Referer condition, which S3 classifies as public whatever the condition says.
 */

/** ACLs stay blocked; the two policy flags must be off for the Referer statement to take effect. */
export const PUBLIC_POLICY_BLOCK_PUBLIC_ACCESS: BlockPublicAccessFlags = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

export const PUBLIC_POLICY_FINDING: AcknowledgedFinding = {
  id: 'AwsSolutions-S2',
  reason:
    'referer modes need a Principal "*" GetObject statement conditioned on aws:Referer, which S3 classifies as public; ' +
    'BlockPublicPolicy/RestrictPublicBuckets must stay off for it to work. ACL blocking stays on. The weakness is ' +
    'documented with the mode; the default mode (signed) keeps all four flags on.',
};

/** Account-level BPA overrides the bucket's own: either flag on breaks a public bucket policy for every bucket. */
export const PUBLIC_POLICY_ACCOUNT_NEEDS: PreflightNeeds['accountBlockPublicAccessOff'] = ['blockPublicPolicy', 'restrictPublicBuckets'];

/** The header the CDN authenticates with in both referer modes. */
export const REFERER_HEADER = 'Referer';

/**
 * Sets one back-to-origin request header, replacing any value the viewer sent (duplicate off), so a viewer-supplied
 * Referer never reaches S3.
 */
export const originRequestHeader = (headerName: string, headerValue: CdnArgValue) =>
  cdnFunction('origin_request_header', {
    header_operation_type: 'add',
    header_name: headerName,
    header_value: headerValue,
    duplicate: 'off',
  });
