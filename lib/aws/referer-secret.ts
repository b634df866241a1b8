import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SiteConfig } from '../config/resolve-stage';
import { ACKNOWLEDGED_FINDINGS, acknowledge } from './rule-acknowledgements';
import { REFERER_SECRET_KEYS, secretNamesFor } from './secret-names';

/** Length of the generated referer secret: long enough to be unguessable, short enough for a ROS parameter (128). */
export const REFERER_SECRET_LENGTH = 48;

export interface RefererSecretProps {
  readonly site: SiteConfig;
}

/** referer-secret mode: the shared secret the CDN sends as Referer, generated inside Secrets Manager. */
export class RefererSecret extends Construct {
  public readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: RefererSecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: secretNamesFor(props.site).refererSecret,
      description: `Referer value Alibaba CDN sends to the S3 origin of ${props.site.domain}.`,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: REFERER_SECRET_KEYS.current,
        passwordLength: REFERER_SECRET_LENGTH,
        // Letters and digits only: the value travels as an HTTP header and a ROS parameter.
        excludePunctuation: true,
      },
    });
    acknowledge(this.secret, ACKNOWLEDGED_FINDINGS.rotationDrivenByDeploy);
  }

  /**
   * Values the bucket policy accepts, as dynamic references resolved by CloudFormation at deploy time. During a
   * rotation the previous value is accepted too; the key must then exist in the secret (the rotation writes it).
   */
  acceptedValues(acceptPrevious: boolean): string[] {
    const reference = (key: string) => this.secret.secretValueFromJson(key).unsafeUnwrap();
    return acceptPrevious ? [reference(REFERER_SECRET_KEYS.current), reference(REFERER_SECRET_KEYS.previous)] : [reference(REFERER_SECRET_KEYS.current)];
  }
}
