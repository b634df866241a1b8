import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { awsErrorName, describeAwsError, isAwsError } from './aws-errors';

export type CredentialsCheckResult =
  | { readonly ok: true; readonly accountId: string; readonly arn: string }
  | { readonly ok: false; readonly message: string };

export interface CheckAwsCredentialsOptions {
  readonly sts: Pick<STSClient, 'send'>;
  /** The profile in use (flag or AWS_PROFILE, read by the caller), only to make the fix concrete. */
  readonly profile?: string;
}

/**
 * Asks STS who we are. Failures become one line that says what to run; the SDK's own wording is used only for
 * errors we do not recognise, and is scrubbed of anything key-shaped.
 */
export async function checkAwsCredentials(options: CheckAwsCredentialsOptions): Promise<CredentialsCheckResult> {
  try {
    const identity = await options.sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Account || !identity.Arn) {
      return { ok: false, message: 'AWS STS GetCallerIdentity returned no Account or Arn; cannot tell which account would be deployed to.' };
    }
    return { ok: true, accountId: identity.Account, arn: identity.Arn };
  } catch (error) {
    return { ok: false, message: credentialFailureLine(error, options.profile) };
  }
}

function credentialFailureLine(error: unknown, profile: string | undefined): string {
  const is = (...codes: string[]) => codes.some((code) => isAwsError(error, code));
  const message = error instanceof Error ? error.message : '';
  const loginFix = profile ? `run \`aws sso login --profile ${profile}\`` : 'run `aws sso login --profile <name>` and set AWS_PROFILE=<name>';
  const profileFix = profile
    ? `check that profile "${profile}" is configured (\`aws configure list --profile ${profile}\`)`
    : 'set AWS_PROFILE to a configured profile (or pass --profile), or run `aws configure`';

  if (is('TokenProviderError') || /\bSSO\b/.test(message)) {
    return `AWS SSO session expired or missing: ${loginFix}.`;
  }
  if (is('CredentialsProviderError')) {
    return `No usable AWS credentials found: ${profileFix}.`;
  }
  if (is('ExpiredToken', 'TokenRefreshRequired')) {
    return `AWS session credentials have expired: ${loginFix}, or refresh the session credentials you exported.`;
  }
  if (is('InvalidClientTokenId', 'UnrecognizedClient', 'SignatureDoesNotMatch')) {
    return `AWS rejected the credentials (${awsErrorName(error)}): the access key is unknown, deactivated or its secret is wrong; ${profileFix}.`;
  }
  return `Could not verify AWS credentials (${describeAwsError(error)}): ${profileFix}.`;
}
