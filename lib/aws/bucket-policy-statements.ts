import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The origin bucket's policy statements, defined once. Tests, the policy-evaluation matrix and the README refer to
 * these Sids rather than retyping the statements.
 */
export const STATEMENT_IDS = {
  denyInsecureTransport: 'DenyInsecureTransport',
  allowCdnByReferer: 'AllowCdnGetObjectByReferer',
} as const;

export interface BucketArns {
  readonly bucketArn: string;
  /** `<bucketArn>/*` */
  readonly objectsArn: string;
}

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

/** The Referer values the guide's policy accepts: any page of the service domain, over HTTPS or HTTP. */
export function serviceDomainReferers(domain: string): string[] {
  return [`https://${domain}/*`, `http://${domain}/*`];
}

/**
 * `referer` mode (the guide's): anonymous GetObject when Referer matches the service domain.
 * WEAKNESS: Referer is a request header anyone can send (`curl -e https://<domain>/ ...`), so this only deters
 * hotlinking; it is not access control. AWS documents aws:Referer the same way.
 */
export function allowGetObjectByServiceDomainReferer(arns: BucketArns, domain: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: STATEMENT_IDS.allowCdnByReferer,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [arns.objectsArn],
    conditions: { StringLike: { 'aws:Referer': serviceDomainReferers(domain) } },
  });
}
