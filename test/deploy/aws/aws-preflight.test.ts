import { GetPublicAccessBlockCommand, NoSuchPublicAccessBlockConfiguration, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { checkAccountBlockPublicAccess, checkAwsCredentials } from '../../../lib/deploy/aws/aws-preflight';
import { awsError } from '../../doubles/aws-error-doubles';

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
    stsMock
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/deployer', UserId: 'AIDAEXAMPLE' });
    await expect(checkAwsCredentials({ sts })).resolves.toEqual({
      ok: true,
      accountId: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/deployer',
    });
  });

  it('fails when STS answers without an account', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::111122223333:user/deployer' });
    const result = await checkAwsCredentials({ sts });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('returned no Account or Arn') });
  });

  it('tells the user to log in with SSO for the profile in use', async () => {
    const error = awsError(
      'TokenProviderError',
      "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    );
    expect(await failureLine(error, 'prod-admin')).toBe('AWS SSO session expired or missing: run `aws sso login --profile prod-admin`.');
  });

  it('recognises the SSO provider message even under CredentialsProviderError', async () => {
    const error = awsError(
      'CredentialsProviderError',
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
    );
    expect(await failureLine(error)).toBe(
      'AWS SSO session expired or missing: run `aws sso login --profile <name>` and set AWS_PROFILE=<name>.',
    );
  });

  it('explains missing credentials with the profile fix', async () => {
    const error = awsError('CredentialsProviderError', 'Could not load credentials from any providers');
    expect(await failureLine(error)).toBe(
      'No usable AWS credentials found: set AWS_PROFILE to a configured profile (or pass --profile), or run `aws configure`.',
    );
    expect(await failureLine(error, 'dev')).toBe(
      'No usable AWS credentials found: check that profile "dev" is configured (`aws configure list --profile dev`).',
    );
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

const s3controlMock = mockClient(S3ControlClient);
const s3control = new S3ControlClient({ region: 'us-east-1' });
const accountId = '111122223333';

function settings(
  overrides: Partial<Record<'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets', boolean>>,
) {
  return {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
      ...overrides,
    },
  };
}

beforeEach(() => s3controlMock.reset());

describe('checkAccountBlockPublicAccess', () => {
  it('passes signed mode without calling S3 Control, whatever the account has', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).resolves(settings({ BlockPublicPolicy: true, RestrictPublicBuckets: true }));
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'signed' });
    expect(verdict.ok).toBe(true);
    expect(verdict.message).toContain('does not affect signed mode');
    expect(s3controlMock.calls()).toHaveLength(0);
  });

  it('reads the account given and passes a referer mode when both policy flags are off', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).resolves(settings({}));
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'referer-secret' });
    expect(verdict).toEqual({
      ok: true,
      message: expect.stringContaining('Account 111122223333 allows the public bucket policy that referer-secret mode needs'),
      settings: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false },
    });
    expect(s3controlMock.commandCalls(GetPublicAccessBlockCommand)[0].args[0].input).toEqual({ AccountId: accountId });
  });

  it('treats NoSuchPublicAccessBlockConfiguration as all settings off', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(
      new NoSuchPublicAccessBlockConfiguration({
        message: 'The public access block configuration was not found',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'referer' });
    expect(verdict.ok).toBe(true);
    expect(verdict.settings).toEqual({
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
  });

  it('fails a referer mode on BlockPublicPolicy=true: the deploy would get 403 at PutBucketPolicy', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).resolves(settings({ BlockPublicPolicy: true }));
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'referer-secret' });
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain('BlockPublicPolicy=true makes S3 reject the referer-secret bucket policy');
    expect(verdict.message).toContain('403 Access Denied at PutBucketPolicy');
    expect(verdict.message).not.toContain('RestrictPublicBuckets=true');
    expect(verdict.fix).toContain(
      'aws s3control put-public-access-block --account-id 111122223333 --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false',
    );
    expect(verdict.fix).toContain('switch originAccess to "signed"');
    expect(verdict.fix).toContain('Block Public Access settings for this account');
  });

  it('fails a referer mode on RestrictPublicBuckets=true: the CDN would get 403 silently', async () => {
    s3controlMock
      .on(GetPublicAccessBlockCommand)
      .resolves(settings({ RestrictPublicBuckets: true, BlockPublicAcls: false, IgnorePublicAcls: false }));
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'referer' });
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain('RestrictPublicBuckets=true blocks all anonymous access');
    expect(verdict.message).toContain('every CDN fetch gets 403');
    expect(verdict.message).not.toContain('BlockPublicPolicy=true');
    // The ACL flags the account already has are kept as they are.
    expect(verdict.fix).toContain('BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false');
  });

  it('names both problems when both flags are on', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).resolves(settings({ BlockPublicPolicy: true, RestrictPublicBuckets: true }));
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'referer' });
    expect(verdict.message).toContain('BlockPublicPolicy=true');
    expect(verdict.message).toContain('RestrictPublicBuckets=true');
  });

  it('names the missing permission when access is denied', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'referer-secret' });
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toBe('Cannot read the account-level S3 Block Public Access settings of account 111122223333: access denied.');
    expect(verdict.fix).toContain('s3:GetAccountPublicAccessBlock');
  });

  it('reports other errors without passing as ok', async () => {
    s3controlMock.on(GetPublicAccessBlockCommand).rejects(awsError('InternalError', 'We encountered an internal error', 500));
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'referer' });
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain('InternalError: We encountered an internal error');
  });

  it('rejects an account id that is not 12 digits', async () => {
    await expect(checkAccountBlockPublicAccess({ s3control, accountId: '1234', mode: 'referer' })).rejects.toThrow(
      'accountId "1234" is not a 12-digit AWS account id.',
    );
  });
});
