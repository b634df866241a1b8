import { GetPublicAccessBlockCommand, NoSuchPublicAccessBlockConfiguration, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { checkAccountBlockPublicAccess } from '../../../lib/deploy/aws/account-block-public-access';
import { awsError } from './aws-error-doubles';

const s3controlMock = mockClient(S3ControlClient);
const s3control = new S3ControlClient({ region: 'us-east-1' });
const accountId = '111122223333';

function settings(overrides: Partial<Record<'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets', boolean>>) {
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
    s3controlMock
      .on(GetPublicAccessBlockCommand)
      .rejects(new NoSuchPublicAccessBlockConfiguration({ message: 'The public access block configuration was not found', $metadata: { httpStatusCode: 404 } }));
    const verdict = await checkAccountBlockPublicAccess({ s3control, accountId, mode: 'referer' });
    expect(verdict.ok).toBe(true);
    expect(verdict.settings).toEqual({ blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false });
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
    s3controlMock.on(GetPublicAccessBlockCommand).resolves(settings({ RestrictPublicBuckets: true, BlockPublicAcls: false, IgnorePublicAcls: false }));
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
