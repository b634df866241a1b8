import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The origin bucket's policy statements, defined once. Tests, the policy-evaluation matrix and docs/origin-access.md
 * refer to these Sids rather than retyping the statements.
 */
export const STATEMENT_IDS = {
  denyInsecureTransport: 'DenyInsecureTransport',
  allowCdnByReferer: 'AllowCdnGetObjectByReferer',
  allowCdnByRefererSecret: 'AllowCdnGetObjectByRefererSecret',
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

/**
 * `referer-secret` mode: anonymous GetObject only when Referer equals the secret exactly (StringEquals, so no
 * wildcard can widen it). The values are CloudFormation dynamic references, resolved at deploy time, so the secret is
 * never in a synthesized template. RESIDUAL RISK: whoever learns the value (S3 server access logs record Referer;
 * GetBucketPolicy shows the resolved policy) can read objects directly until it is rotated.
 */
export function allowGetObjectByRefererSecret(arns: BucketArns, acceptedValues: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: STATEMENT_IDS.allowCdnByRefererSecret,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [arns.objectsArn],
    conditions: { StringEquals: { 'aws:Referer': [...acceptedValues] } },
  });
}

/** Actions the signed-mode reader may perform: read objects, and optionally list so missing keys give 404. */
export function readerStatements(arns: BucketArns, canList: boolean): iam.PolicyStatement[] {
  const read = new iam.PolicyStatement({ sid: 'ReadObjects', actions: ['s3:GetObject'], resources: [arns.objectsArn] });
  if (!canList) return [read];
  return [read, new iam.PolicyStatement({ sid: 'ListBucket', actions: ['s3:ListBucket'], resources: [arns.bucketArn] })];
}
