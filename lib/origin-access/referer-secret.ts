import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import { type BucketArns, OriginAccessError, type OriginAccessMode } from './origin-access-mode';
import {
  originRequestHeader,
  PUBLIC_POLICY_ACCOUNT_NEEDS,
  PUBLIC_POLICY_BLOCK_PUBLIC_ACCESS,
  PUBLIC_POLICY_FINDING,
  REFERER_HEADER,
} from './referer-modes';
import { secretNamesFor } from './secret-names';

/**
 * `referer-secret`: the CDN replaces Referer with a long random secret, and the bucket policy allows only that exact
 * value. RESIDUAL RISK: whoever learns the value (S3 server access logs record Referer; GetBucketPolicy shows the
 * resolved policy) can read objects directly until it is rotated.
 */

export const REFERER_SECRET_STATEMENT_ID = 'AllowCdnGetObjectByRefererSecret';

/** Output key (CloudFormation logical id): where the referer secret is kept (an ARN, never the value). */
export const REFERER_SECRET_OUTPUTS = { refererSecretArn: 'RefererSecretArn' } as const;

export const REFERER_SECRET_ROS_PARAMETERS = { refererSecret: 'RefererSecret' } as const;

/**
 * The fields of the secret's JSON, `{"current": "...", "previous": "..."}`. Both are always present: outside a
 * rotation they are equal. The deploy's `lib/deploy/aws/secret-shapes.ts` reads and writes the same fields.
 */
export const REFERER_SECRET_FIELDS = { current: 'current', previous: 'previous' } as const;
export type RefererSecretField = keyof typeof REFERER_SECRET_FIELDS;

/** CDK context key the deploy command sets to pin the referer secret's version (see acceptedValues). */
export function refererSecretVersionContextKey(siteId: string): string {
  return `s3alicdn:refererSecretVersion:${siteId}`;
}

/**
 * The CloudFormation dynamic reference for one referer field. Pass `versionId` to pin the version: CloudFormation
 * only re-resolves a reference when the template changes, so pinning is what makes a rotated value reach the
 * bucket policy on the next deploy.
 */
export function refererSecretDynamicReference(secretArn: string, field: RefererSecretField, versionId?: string): string {
  const version = versionId ? `::${versionId}` : '';
  return `{{resolve:secretsmanager:${secretArn}:SecretString:${REFERER_SECRET_FIELDS[field]}${version}}}`;
}

/**
 * Anonymous GetObject only when Referer equals the secret exactly (StringEquals, so no wildcard can widen it). The
 * values are dynamic references, resolved at deploy time, so the secret is never in a synthesized template.
 */
export function allowGetObjectByRefererSecret(arns: BucketArns, acceptedValues: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: REFERER_SECRET_STATEMENT_ID,
    effect: iam.Effect.ALLOW,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [arns.objectsArn],
    conditions: { StringEquals: { 'aws:Referer': [...acceptedValues] } },
  });
}

export interface RefererSecretProps {
  readonly site: SiteConfig;
  /** Secrets Manager version id to pin; the deploy command passes the one it just read or rotated. */
  readonly versionId?: string;
}

/**
 * The shared secret the CDN sends as Referer. The secret itself is created by the deploy command
 * (`ensureRefererSecret`) before the first stack deploy, because its JSON must always hold both "current" and
 * "previous" (equal outside a rotation), and CloudFormation's generator can only fill one key. The stack refers to
 * it by name and never sees the value.
 */
export class RefererSecret extends Construct {
  public readonly secretName: string;
  public readonly secretArn: string;
  private readonly versionId?: string;

  constructor(scope: Construct, id: string, props: RefererSecretProps) {
    super(scope, id);
    this.secretName = secretNamesFor(props.site).refererSecret;
    this.secretArn = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: this.secretName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.versionId = props.versionId;
  }

  /**
   * Values the bucket policy accepts: both fields, as dynamic references CloudFormation resolves at deploy time.
   * Accepting "previous" is what keeps a rotation zero-downtime: the policy accepts old and new before the CDN
   * switches. Pinning the version makes the template text change when the secret does, which is the only thing
   * that makes CloudFormation resolve the references again.
   */
  acceptedValues(): string[] {
    return (['current', 'previous'] as const).map((field) => refererSecretDynamicReference(this.secretName, field, this.versionId));
  }
}

export const refererSecret: OriginAccessMode = {
  name: 'referer-secret',
  blockPublicAccess: PUBLIC_POLICY_BLOCK_PUBLIC_ACCESS,
  bucketFindings: [PUBLIC_POLICY_FINDING],
  addOriginResources({ scope, site, arns }) {
    const secret = new RefererSecret(scope, 'RefererSecret', {
      site,
      versionId: scope.node.tryGetContext(refererSecretVersionContextKey(site.id)),
    });
    return {
      bucketStatements: [allowGetObjectByRefererSecret(arns, secret.acceptedValues())],
      outputValues: { [REFERER_SECRET_OUTPUTS.refererSecretArn]: secret.secretArn },
      construct: secret,
    };
  },
  originOutputs: [
    { key: REFERER_SECRET_OUTPUTS.refererSecretArn, description: 'Secrets Manager secret holding the Referer value.', shape: 'secret-arn' },
  ],

  rosSecretParameters: [
    {
      name: REFERER_SECRET_ROS_PARAMETERS.refererSecret,
      description: 'Referer value the bucket policy accepts (from AWS Secrets Manager).',
    },
  ],
  // Replaces whatever Referer the viewer sent, so only the CDN can present the secret to S3.
  // origin_request_header "add" makes a config of its own each time, so the old version's config must be deleted.
  cdnAuthOnRemoval: 'delete',
  cdnAuthFunctions: ({ secretParameters }) => [
    originRequestHeader(REFERER_HEADER, secretParameters[REFERER_SECRET_ROS_PARAMETERS.refererSecret]),
  ],
  rosParameterValues({ secrets }) {
    const secret = secrets['referer-secret'];
    if (!secret)
      throw new OriginAccessError(
        'DEPLOY_FAILED',
        'referer-secret mode: the referer secret was not read, so the CDN has no Referer to send.',
      );
    return {
      parameters: { [REFERER_SECRET_ROS_PARAMETERS.refererSecret]: secret.current },
      noEcho: [REFERER_SECRET_ROS_PARAMETERS.refererSecret],
    };
  },

  preflight: {
    accountBlockPublicAccessOff: PUBLIC_POLICY_ACCOUNT_NEEDS,
    secret: { kind: 'referer-secret', secretName: (site) => secretNamesFor(site).refererSecret, ensure: 'before-synth' },
  },
  rotationTarget: 'referer-secret',
  // The secret travels in Referer, so a review must never print that header's value.
  secretHeaders: [REFERER_HEADER.toLowerCase()],
};
