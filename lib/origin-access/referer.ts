import * as iam from 'aws-cdk-lib/aws-iam';
import type { BucketArns, OriginAccessMode } from './origin-access-mode';
// What both referer modes share (a public-looking policy, the Referer header on origin fetches).
import * as refererModes from './referer-modes';

/**
 * `referer` (the guide's): the bucket policy allows anonymous GetObject when Referer matches the service domain, and
 * the CDN sends such a Referer. WEAKNESS: Referer is a request header anyone can send (`curl -e https://<domain>/ ...`),
 * so this only deters hotlinking; it is not access control. AWS documents aws:Referer the same way.
 */

export const REFERER_STATEMENT_ID = 'AllowCdnGetObjectByReferer';

/** The Referer values the guide's policy accepts: any page of the service domain, over HTTPS or HTTP. */
export function serviceDomainReferers(domain: string): string[] {
  return [`https://${domain}/*`, `http://${domain}/*`];
}

/** The Referer the CDN sends: a page of the service domain, so it matches `serviceDomainReferers`. */
export function cdnReferer(domain: string): string {
  return `https://${domain}/`;
}

export function allowGetObjectByServiceDomainReferer(arns: BucketArns, domain: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: REFERER_STATEMENT_ID,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [arns.objectsArn],
    conditions: { StringLike: { 'aws:Referer': serviceDomainReferers(domain) } },
  });
}

export const referer: OriginAccessMode = {
  name: 'referer',
  blockPublicAccess: refererModes.PUBLIC_POLICY_BLOCK_PUBLIC_ACCESS,
  bucketFindings: [refererModes.PUBLIC_POLICY_FINDING],
  addOriginResources: ({ site, arns }) => ({
    bucketStatements: [allowGetObjectByServiceDomainReferer(arns, site.domain)],
    outputValues: {},
  }),
  originOutputs: [],
  rosSecretParameters: [],
  // origin_request_header "add" makes a config of its own each time, so the old version's config must be deleted.
  cdnAuthOnRemoval: 'delete',
  cdnAuthFunctions: ({ site }) => [refererModes.originRequestHeader(refererModes.REFERER_HEADER, cdnReferer(site.domain))],
  rosParameterValues: () => ({ parameters: {}, noEcho: [] }),
  preflight: { accountBlockPublicAccessOff: refererModes.PUBLIC_POLICY_ACCOUNT_NEEDS },
  rotationTarget: 'none',
  // The Referer here is the public site URL: nothing to hide.
  secretHeaders: [],
};
