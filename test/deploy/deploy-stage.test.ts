import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Credential from '@alicloud/credentials';
import { S3ControlClient, GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { StageConfig } from '../../lib/config/resolve-stage';
import type { CdkRunner } from '../../lib/deploy/aws/cdk-runner';
import { deployStage, type DeploySummary } from '../../lib/deploy/deploy-stage';
import { outputsFilePath, readDeployOutputs } from '../../lib/deploy/deploy-outputs-file';
import { createRealDeployDependencies } from '../../lib/deploy/real-dependencies';
import { recordingReporter } from '../../lib/deploy/reporter';
import { AlibabaRpcServerTestDouble } from '../doubles/alibaba-rpc-server';
import { AlidnsApiTestDouble } from '../doubles/alidns-api-double';
import { CasApiTestDouble } from '../doubles/cas-api-double';
import { RosApiTestDouble } from '../doubles/ros-api-double';
import { fakeClock, TEST_CREDENTIAL, trackUnhandledRejections } from './alibaba/ros-harness';
import { IamDouble, SecretsManagerDouble } from './aws/iam-secrets-test-doubles';
import { exampleStageWith } from '../helpers/stage-fixtures';

/**
 * `deploy` end to end, through the same dependency wiring users get (createRealDeployDependencies), with every cloud
 * replaced by a test double: the ROS, Alibaba DNS and CAS APIs by a local server speaking their RPC protocol to the
 * official SDKs, STS / S3 Control / IAM / Secrets Manager by aws-sdk-client-mock doubles, and the cdk CLI by a fake
 * runner that writes the outputs file `cdk deploy --outputs-file` would.
 */
const rejections = trackUnhandledRejections();
const ACCOUNT = '111122223333';
const READER_USER = 's3alicdn-example-origin-ReaderUser-ABC123';

interface World {
  readonly dir: string;
  readonly server: AlibabaRpcServerTestDouble;
  readonly ros: RosApiTestDouble;
  readonly dns: AlidnsApiTestDouble;
  readonly secrets: SecretsManagerDouble;
  readonly iam: IamDouble;
  readonly sts: STSClient;
  readonly s3control: S3ControlClient;
  readonly cdkCalls: string[][];
  readerSecretArn: string;
  cdkExitCode: number;
  /** What the fake cdk writes as the origin stack outputs; a test can corrupt it. */
  outputsFileText?: (stackName: string) => string;
}

let world: World;

beforeEach(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-deploy-'));
  const server = new AlibabaRpcServerTestDouble({ credentials: [TEST_CREDENTIAL] });
  const ros = new RosApiTestDouble(server, { regionId: 'ap-southeast-1' });
  const dns = new AlidnsApiTestDouble(server);
  const cas = new CasApiTestDouble(server);
  await server.start();
  dns.addZone('test.com');
  cas.add({ id: 12345678, name: 'test', common: 'test.test.com', sans: ['test.test.com'], notAfter: new Date(Date.now() + 200 * 86_400_000) });
  const secrets = new SecretsManagerDouble();
  const sts = new STSClient({ region: 'ap-northeast-2', credentials: { accessKeyId: 'AKIATESTDOUBLE000000', secretAccessKey: 'x'.repeat(40) } });
  mockClient(sts).on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/deployer`, UserId: 'AIDATEST' });
  const s3control = new S3ControlClient({ region: 'ap-northeast-2', credentials: { accessKeyId: 'AKIATESTDOUBLE000000', secretAccessKey: 'x'.repeat(40) } });
  world = {
    dir,
    server,
    ros,
    dns,
    secrets,
    iam: new IamDouble(READER_USER),
    sts,
    s3control,
    cdkCalls: [],
    // The origin stack creates this secret with a placeholder; the deploy stores the first key in it.
    readerSecretArn: secrets.addSecret('s3alicdn/example/test-test-com/reader-key', JSON.stringify({ state: 'awaiting-first-deploy', placeholder: 'abc' })),
    cdkExitCode: 0,
  };
});

afterEach(async () => {
  await world.server.close();
  fs.rmSync(world.dir, { recursive: true, force: true });
});

afterAll(() => expect(rejections).toEqual([]));

/** Stands in for `node_modules/.bin/cdk`: records the arguments and writes the outputs file as cdk would. */
function fakeCdk(): CdkRunner {
  return {
    run: async (args) => {
      world.cdkCalls.push([...args]);
      if (world.cdkExitCode !== 0) return { exitCode: world.cdkExitCode };
      const file = args[args.indexOf('--outputs-file') + 1];
      const stacks = args.slice(1, args.indexOf('--outputs-file'));
      const outputs = Object.fromEntries(
        stacks.map((stack) => [
          stack,
          {
            BucketName: 'ali-cdn-test',
            BucketRegion: 'ap-northeast-2',
            OriginHost: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com',
            OriginPathPrefix: '/',
            ReaderSecretArn: world.readerSecretArn,
            ReaderUserName: READER_USER,
          },
        ]),
      );
      fs.writeFileSync(file, world.outputsFileText ? world.outputsFileText(stacks[0]) : JSON.stringify(outputs));
      return { exitCode: 0 };
    },
  };
}

async function deploy(stage: StageConfig = exampleStageWith(), yes = true): Promise<{ summary: DeploySummary; lines: string[] }> {
  const reporter = recordingReporter();
  const deps = createRealDeployDependencies({
    stage,
    projectDir: world.dir,
    reporter,
    interactive: false,
    endpoints: { rosEndpoint: world.server.endpoint, alidnsEndpoint: world.server.endpoint, casEndpoint: world.server.endpoint, alibabaProtocol: 'HTTP' },
    overrides: {
      sts: world.sts,
      s3control: world.s3control,
      iam: world.iam.client,
      secretsManager: () => world.secrets.client,
      alibabaCredential: new Credential({ type: 'access_key', ...TEST_CREDENTIAL } as never),
      cdk: fakeCdk(),
      rosPolling: { pollIntervalMs: 1000, maxWaitMs: 600_000, tuning: { clock: fakeClock(), retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, random: () => 0.5 } },
    },
  });
  const summary = await deployStage(stage, deps, { projectDir: world.dir, yes });
  return { summary, lines: reporter.lines };
}

const rosCalls = () => world.server.calls.filter((call) => call.version === '2019-09-10').length;

describe('deploy, end to end against the test doubles', () => {
  test('deploys the AWS origin, then the ROS stack with the reader key, streams events and writes the outputs file', async () => {
    const { summary, lines } = await deploy();
    expect(summary).toMatchObject({ ok: true, stage: 'example', sites: [{ site: 'test-test-com', awsOrigin: 'deployed', rosCdn: 'created' }] });

    // Order: preflight, then cdk deploy of the synthesized assembly, then ROS.
    expect(world.cdkCalls).toHaveLength(1);
    expect(world.cdkCalls[0]).toEqual(expect.arrayContaining(['deploy', 's3alicdn-example-test-test-com-origin', '--app', 'cdk.out', '--require-approval', 'never']));
    expect(lines.findIndex((l) => l.includes('Deploying AWS origin'))).toBeLessThan(lines.findIndex((l) => l.includes('Deploying Alibaba ROS stack')));

    // The first reader key was created and handed to ROS as NoEcho parameters; it appears in no output line.
    const [keyId] = world.iam.keyIds(READER_USER);
    expect(keyId).toMatch(/^AKIA/);
    const secretKey = world.iam.key(READER_USER, keyId)!.secretAccessKey;
    expect(lines.join('\n')).not.toContain(secretKey);
    expect(JSON.stringify(summary)).not.toContain(secretKey);

    // Events streamed with cdk-style progress counters.
    expect(lines.filter((l) => l.startsWith('event: ['))).not.toHaveLength(0);
    expect(lines.some((l) => /event: \[\d+\/\d+\] .*CREATE_COMPLETE\s+Domain \(ALIYUN::CDN::Domain\)/.test(l))).toBe(true);

    const outputs = readDeployOutputs(outputsFilePath('example', world.dir));
    const site = outputs.sites['test-test-com'];
    expect(site.aws.outputs).toMatchObject({ BucketName: 'ali-cdn-test', OriginHost: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com', ReaderUserName: READER_USER });
    expect(site.ros?.outputs.CdnCname).toBeDefined();
    expect(site.ros?.outputs.ServiceUrl).toBe('https://test.test.com/');
    expect(site.dns).toEqual({ provider: 'alidns', name: 'test.test.com', cnameTarget: site.ros!.outputs.CdnCname });
    expect(fs.readFileSync(outputsFilePath('example', world.dir), 'utf8')).not.toContain(secretKey);
  });

  test('a second deploy changes nothing, exits ok, and makes few ROS API calls', async () => {
    await deploy();
    const before = rosCalls();
    const { summary } = await deploy();
    expect(summary).toMatchObject({ ok: true, sites: [{ rosCdn: 'no-changes' }] });
    expect(world.iam.keyIds(READER_USER)).toHaveLength(1);
    const noOpCalls = rosCalls() - before;
    // Measured: 7 (ListStacks, GetStack, CreateChangeSet, GetChangeSet x2, DeleteChangeSet, GetStack for outputs).
    expect(noOpCalls).toBeLessThanOrEqual(8);
  });

  test('--ci-style summary: a JSON-serializable object with the preflight findings and sites', async () => {
    const { summary } = await deploy();
    const parsed = JSON.parse(JSON.stringify(summary));
    expect(parsed.preflight.map((finding: { check: string }) => finding.check)).toEqual([
      'AWS credentials',
      'Alibaba Cloud credentials',
      'Alibaba DNS zone test.com',
      'certificate for test.test.com',
    ]);
    expect(parsed.outputsFile).toBe(outputsFilePath('example', world.dir));
  });
});

describe('a deploy stops before anything changes', () => {
  const nothingChanged = () => {
    expect(world.cdkCalls).toEqual([]);
    expect(world.server.calls.filter((call) => ['CreateChangeSet', 'ExecuteChangeSet', 'CreateStack'].includes(call.action))).toEqual([]);
    expect(world.iam.keyIds(READER_USER)).toEqual([]);
  };

  test('expired AWS credentials', async () => {
    mockClient(world.sts).on(GetCallerIdentityCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }));
    const { summary, lines } = await deploy();
    expect(summary).toMatchObject({ ok: false, failedStep: 'preflight' });
    expect(lines.some((l) => l.startsWith('warn: ✗ AWS credentials:'))).toBe(true);
    expect(summary.error).toContain('Preflight failed; nothing was deployed.');
    nothingChanged();
  });

  test('a missing DNS zone', async () => {
    await world.server.close();
    const server = new AlibabaRpcServerTestDouble({ credentials: [TEST_CREDENTIAL] });
    new RosApiTestDouble(server);
    new AlidnsApiTestDouble(server); // no zone added
    const cas = new CasApiTestDouble(server);
    cas.add({ id: 12345678, name: 'test', common: 'test.test.com', sans: [], notAfter: new Date(Date.now() + 200 * 86_400_000) });
    await server.start();
    Object.assign(world, { server });
    const { summary, lines } = await deploy();
    expect(summary).toMatchObject({ ok: false, failedStep: 'preflight' });
    expect(lines.find((l) => l.startsWith('warn: ✗ Alibaba DNS zone test.com:'))).toContain('test.com');
    nothingChanged();
  });

  test('account Block Public Access that would break a referer mode', async () => {
    mockClient(world.s3control).on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    const { summary, lines } = await deploy(exampleStageWith((site) => (site.originAccess = { mode: 'referer' })));
    expect(summary).toMatchObject({ ok: false, failedStep: 'preflight' });
    expect(lines.some((l) => l.startsWith('warn: ✗ account Block Public Access (referer mode):'))).toBe(true);
    nothingChanged();
  });

  test('a malformed outputs file stops before the ROS stack, naming the file and key', async () => {
    world.outputsFileText = (stack) => JSON.stringify({ [stack]: { BucketName: 'ali-cdn-test' } });
    const { summary } = await deploy();
    expect(summary).toMatchObject({ ok: false, failedStep: 'origin-outputs' });
    expect(summary.error).toMatch(/origin-outputs\.json: stack "s3alicdn-example-test-test-com-origin" \(signed mode\): output "BucketRegion" is missing/);
    expect(summary.error).toContain('The AWS origin stack is deployed; the CDN stack was not touched.');
    expect(world.server.calls.filter((call) => call.action === 'CreateChangeSet')).toEqual([]);
  });

  test('a failed cdk deploy says what state it left and how to go on', async () => {
    world.cdkExitCode = 1;
    const { summary } = await deploy();
    expect(summary).toMatchObject({ ok: false, failedStep: 'aws-origin' });
    expect(summary.error).toContain('cdk deploy exited with code 1.');
    expect(summary.error).toContain('Every step is safe to re-run');
  });

  test('without --yes and without a terminal, the ROS changes are not executed', async () => {
    const { summary } = await deploy(exampleStageWith(), false);
    expect(summary).toMatchObject({ ok: false, failedStep: 'ros-cdn' });
    expect(summary.error).toContain('Re-run with --yes to approve non-interactively.');
    expect(world.server.calls.filter((call) => call.action === 'ExecuteChangeSet')).toEqual([]);
  });
});

describe('re-running after an interruption', () => {
  test('a deploy that died after the AWS stack finishes the job on the next run', async () => {
    world.outputsFileText = () => '{ not json';
    expect((await deploy()).summary.ok).toBe(false);
    world.outputsFileText = undefined;
    const { summary } = await deploy();
    expect(summary).toMatchObject({ ok: true, sites: [{ rosCdn: 'created' }] });
  });
});
