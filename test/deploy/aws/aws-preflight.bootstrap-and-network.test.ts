import { STSClient } from '@aws-sdk/client-sts';
import { checkAwsCredentials, checkCdkBootstrap } from '../../../lib/deploy/aws/aws-preflight';
import { SsmParameterTestDouble } from '../../doubles/ssm-parameter-double';

const ACCOUNT = '111122223333';
let ssm: SsmParameterTestDouble;

beforeEach(async () => {
  ssm = new SsmParameterTestDouble();
  await ssm.start();
});
afterEach(() => ssm.close());

describe('checkCdkBootstrap', () => {
  test('passes when the bootstrap version parameter exists in that region, and says which version', async () => {
    ssm.put('ap-northeast-2', '/cdk-bootstrap/hnb659fds/version', '30');
    await expect(checkCdkBootstrap({ ssm: ssm.client('ap-northeast-2'), accountId: ACCOUNT, region: 'ap-northeast-2' })).resolves.toEqual({
      ok: true,
      message: `aws://${ACCOUNT}/ap-northeast-2 is bootstrapped (version 30).`,
    });
    expect(ssm.calls).toEqual([{ region: 'ap-northeast-2', target: 'AmazonSSM.GetParameter', name: '/cdk-bootstrap/hnb659fds/version' }]);
  });

  test('an environment never bootstrapped gets the exact cdk bootstrap command', async () => {
    // Bootstrapped in another region only: parameters are regional, so this region is still not bootstrapped.
    ssm.put('us-east-1', '/cdk-bootstrap/hnb659fds/version', '30');
    await expect(checkCdkBootstrap({ ssm: ssm.client('ap-northeast-2'), accountId: ACCOUNT, region: 'ap-northeast-2' })).resolves.toEqual({
      ok: false,
      message: `aws://${ACCOUNT}/ap-northeast-2 is not CDK-bootstrapped: the SSM parameter /cdk-bootstrap/hnb659fds/version does not exist in ap-northeast-2.`,
      fix: `run \`npx cdk bootstrap aws://${ACCOUNT}/ap-northeast-2\` once with credentials for account ${ACCOUNT} (it creates the CDKToolkit stack), then run the command again.`,
    });
  });

  test('a bootstrap older than the stacks need asks for a re-bootstrap', async () => {
    ssm.put('ap-northeast-2', '/cdk-bootstrap/hnb659fds/version', '5');
    const verdict = await checkCdkBootstrap({ ssm: ssm.client('ap-northeast-2'), accountId: ACCOUNT, region: 'ap-northeast-2' });
    expect(verdict).toMatchObject({ ok: false, message: expect.stringContaining('version 5, older than the version 6') });
    expect(verdict.fix).toContain(`npx cdk bootstrap aws://${ACCOUNT}/ap-northeast-2`);
  });

  test('a custom qualifier reads its own parameter', async () => {
    ssm.put('ap-northeast-2', '/cdk-bootstrap/custom123/version', '21');
    const verdict = await checkCdkBootstrap({
      ssm: ssm.client('ap-northeast-2'),
      accountId: ACCOUNT,
      region: 'ap-northeast-2',
      qualifier: 'custom123',
    });
    expect(verdict.ok).toBe(true);
  });

  test('throttling is retried by the SDK; access denied names the permission', async () => {
    ssm.put('ap-northeast-2', '/cdk-bootstrap/hnb659fds/version', '30');
    ssm.failNext('throttle');
    expect((await checkCdkBootstrap({ ssm: ssm.client('ap-northeast-2'), accountId: ACCOUNT, region: 'ap-northeast-2' })).ok).toBe(true);
    expect(ssm.calls).toHaveLength(2);

    ssm.failNext('access-denied');
    await expect(checkCdkBootstrap({ ssm: ssm.client('ap-northeast-2'), accountId: ACCOUNT, region: 'ap-northeast-2' })).resolves.toEqual({
      ok: false,
      message: 'cannot read the CDK bootstrap version /cdk-bootstrap/hnb659fds/version in ap-northeast-2: access denied.',
      fix: `grant the deploying identity ssm:GetParameter on arn:aws:ssm:ap-northeast-2:${ACCOUNT}:parameter/cdk-bootstrap/hnb659fds/version (cdk deploy reads it too).`,
    });
  });
});

describe('no route to AWS reads as the network, not as the thing checked', () => {
  const credentials = { accessKeyId: 'AKIATESTDOUBLE000000', secretAccessKey: 'x'.repeat(40) };

  test('STS behind a name that does not resolve (ENOTFOUND)', async () => {
    const sts = new STSClient({ region: 'ap-northeast-2', endpoint: 'https://sts.no-route.invalid', credentials, maxAttempts: 1 });
    const result = await checkAwsCredentials({ sts, profile: 'dev' });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^network: could not reach AWS STS \((ENOTFOUND|EAI_AGAIN)\)/) });
  });

  test('SSM with nothing listening (ECONNREFUSED)', async () => {
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    const client = new SSMClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1', credentials, maxAttempts: 1 });
    const verdict = await checkCdkBootstrap({ ssm: client, accountId: ACCOUNT, region: 'ap-northeast-2' });
    expect(verdict.message).toBe(
      'network: could not reach AWS Systems Manager in ap-northeast-2 (ECONNREFUSED), so the CDK bootstrap was not checked.',
    );
    expect(verdict.message).not.toContain('not CDK-bootstrapped');
  });
});
