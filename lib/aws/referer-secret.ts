import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import { REFERER_SECRET_FIELDS, refererSecretDynamicReference, secretNamesFor } from './secret-names';

/** CDK context key the deploy command sets to pin the referer secret's version (see acceptedValues). */
export function refererSecretVersionContextKey(siteId: string): string {
  return `s3alicdn:refererSecretVersion:${siteId}`;
}

export interface RefererSecretProps {
  readonly site: SiteConfig;
  /** Secrets Manager version id to pin; the deploy command passes the one it just read or rotated. */
  readonly versionId?: string;
}

/**
 * referer-secret mode: the shared secret the CDN sends as Referer. The secret itself is created by the deploy command
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
    return [REFERER_SECRET_FIELDS.current, REFERER_SECRET_FIELDS.previous].map((field) =>
      refererSecretDynamicReference(this.secretName, field as 'current' | 'previous', this.versionId),
    );
  }
}
