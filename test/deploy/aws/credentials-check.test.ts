import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { checkAwsCredentials } from '../../../lib/deploy/aws/credentials-check';
import { awsError } from './aws-error-doubles';

const stsMock = mockClient(STSClient);
const sts = new STSClient({ region: 'us-east-1' });

beforeEach(() => stsMock.reset());

async function failureLine(error: Error, profile?: string): Promise<string> {
  stsMock.on(GetCallerIdentityCommand).rejects(error);
  const result = await checkAwsCredentials({ sts, profile });
  if (result.ok) throw new Error('expected a failure');
  expect(result.message.split('\n')).toHaveLength(1);
  return result.message;
}

describe('checkAwsCredentials', () => {
  it('returns the account id and ARN of the caller', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/deployer', UserId: 'AIDAEXAMPLE' });
    await expect(checkAwsCredentials({ sts })).resolves.toEqual({ ok: true, accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/deployer' });
  });

  it('fails when STS answers without an account', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::111122223333:user/deployer' });
    const result = await checkAwsCredentials({ sts });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('returned no Account or Arn') });
  });

  it('tells the user to log in with SSO for the profile in use', async () => {
    const error = awsError('TokenProviderError', "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.");
    expect(await failureLine(error, 'prod-admin')).toBe('AWS SSO session expired or missing: run `aws sso login --profile prod-admin`.');
  });

  it('recognises the SSO provider message even under CredentialsProviderError', async () => {
    const error = awsError('CredentialsProviderError', 'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.');
    expect(await failureLine(error)).toBe('AWS SSO session expired or missing: run `aws sso login --profile <name>` and set AWS_PROFILE=<name>.');
  });

  it('explains missing credentials with the profile fix', async () => {
    const error = awsError('CredentialsProviderError', 'Could not load credentials from any providers');
    expect(await failureLine(error)).toBe(
      'No usable AWS credentials found: set AWS_PROFILE to a configured profile (or pass --profile), or run `aws configure`.',
    );
    expect(await failureLine(error, 'dev')).toBe('No usable AWS credentials found: check that profile "dev" is configured (`aws configure list --profile dev`).');
  });

  it('explains expired session credentials', async () => {
    const error = awsError('ExpiredToken', 'The security token included in the request is expired', 403);
    expect(await failureLine(error, 'dev')).toBe(
      'AWS session credentials have expired: run `aws sso login --profile dev`, or refresh the session credentials you exported.',
    );
  });

  it('explains rejected keys without echoing the key', async () => {
    const error = awsError('InvalidClientTokenId', 'The security token included in the request is invalid. AKIAIOSFODNN7EXAMPLE', 403);
    const line = await failureLine(error);
    expect(line).toContain('AWS rejected the credentials (InvalidClientTokenId)');
    expect(line).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('scrubs key-shaped strings from unexpected errors', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const error = awsError('WeirdError', `something failed for AKIAIOSFODNN7EXAMPLE with ${secret}`, 500);
    const line = await failureLine(error);
    expect(line).toContain('Could not verify AWS credentials (WeirdError: something failed for [redacted] with [redacted])');
    expect(line).not.toContain(secret);
  });
});
