import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Credential from '@alicloud/credentials';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { DeleteUserCommand } from '@aws-sdk/client-iam';
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { StageConfig } from '../../lib/config/resolve-stage';
import type { CdkRunner } from '../../lib/deploy/aws/cdk-runner';
import { deployStage, type DeployDependencies, type DeploySummary } from '../../lib/deploy/deploy-stage';
import { createRealDeployDependencies } from '../../lib/deploy/real-dependencies';
import { recordingReporter } from '../../lib/deploy/reporter';
import { AlibabaRpcServerTestDouble } from '../doubles/alibaba-rpc-server';
import { AlidnsApiTestDouble } from '../doubles/alidns-api-double';
import { CasApiTestDouble } from '../doubles/cas-api-double';
import { CloudFormationTestDouble } from '../doubles/cloudformation-test-double';
import { CdnDomainConfigsTestDouble } from '../doubles/cdn-domain-configs-double';
import { RosApiTestDouble } from '../doubles/ros-api-double';
import { fakeClock, TEST_CREDENTIAL } from '../doubles/ros-harness';
import { IamDouble, SecretsManagerDouble } from '../doubles/iam-secrets-test-doubles';
import { SsmParameterTestDouble } from '../doubles/ssm-parameter-double';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { memoizedSynthesizeStage } from '../helpers/synth-memo';

/**
 * A whole world of test doubles for the stage commands, wired through createRealDeployDependencies exactly as users
 * get it: the ROS, Alibaba DNS and CAS APIs by a local server speaking their RPC protocol to the official SDKs;
 * STS / S3 Control / IAM / Secrets Manager by aws-sdk-client-mock doubles; the cdk CLI by a fake runner that writes
 * the outputs file `cdk deploy --outputs-file` would.
 */
export const ACCOUNT = '111122223333';
export const READER_USER = 's3alicdn-example-origin-ReaderUser-ABC123';

export interface World {
  readonly dir: string;
  readonly server: AlibabaRpcServerTestDouble;
  readonly ros: RosApiTestDouble;
  readonly dns: AlidnsApiTestDouble;
  readonly cas: CasApiTestDouble;
  readonly secrets: SecretsManagerDouble;
  readonly iam: IamDouble;
  readonly sts: STSClient;
  readonly s3control: S3ControlClient;
  /** Parameter Store, where the CDK bootstrap version lives: bootstrapped in ap-northeast-2 unless a test says not. */
  readonly ssm: SsmParameterTestDouble;
  readonly cloudFormation: CloudFormationTestDouble;
  readonly cdkCalls: string[][];
  readerSecretArn: string;
  cdkExitCode: number;
  /** What the fake cdk writes as the origin stack outputs; a test can corrupt it. */
  outputsFileText?: (stackName: string) => string;
}

export let world: World;

export function useStageWorld(): void {
  // A test here runs whole stage commands: the first real synth of an input in a run (cached after that, see
  // synth-memo.ts) takes 10-25 s on a busy 2-core machine, above jest's default of 30 s once a deploy and a diff add up.
  jest.setTimeout(90_000);
  beforeEach(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-deploy-'));
    const server = new AlibabaRpcServerTestDouble({ credentials: [TEST_CREDENTIAL] });
    const ros = new RosApiTestDouble(server, { regionId: 'ap-southeast-1' });
    const dns = new AlidnsApiTestDouble(server);
    const cas = new CasApiTestDouble(server);
    new CdnDomainConfigsTestDouble(server, ros.cdn);
    await server.start();
    const ssm = new SsmParameterTestDouble();
    await ssm.start();
    ssm.put('ap-northeast-2', '/cdk-bootstrap/hnb659fds/version', '30');
    dns.addZone('test.com');
    // The account proved it owns test.com before (a test of the first time removes it); VerifyDomainOwner reads the
    // TXT records of the Alibaba Cloud DNS double. New domains are reviewed: approved after two status reads.
    ros.cdn.verifiedRoots.add('test.com');
    ros.cdn.txtLookup = (name) => dns.lookup(name, 'TXT');
    cas.add({
      id: 12345678,
      name: 'test',
      common: 'test.test.com',
      sans: ['test.test.com'],
      notAfter: new Date(Date.now() + 200 * 86_400_000),
    });
    const secrets = new SecretsManagerDouble();
    const sts = new STSClient({
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'AKIATESTDOUBLE000000', secretAccessKey: 'x'.repeat(40) },
    });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/deployer`, UserId: 'AIDATEST' });
    const s3control = new S3ControlClient({
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'AKIATESTDOUBLE000000', secretAccessKey: 'x'.repeat(40) },
    });
    world = {
      dir,
      server,
      ros,
      dns,
      cas,
      secrets,
      iam: new IamDouble(READER_USER),
      sts,
      s3control,
      ssm,
      cloudFormation: new CloudFormationTestDouble(),
      cdkCalls: [],
      // The origin stack creates this secret with a placeholder; the deploy stores the first key in it.
      readerSecretArn: secrets.addSecret(
        's3alicdn/example/test-test-com/reader-key',
        JSON.stringify({ state: 'awaiting-first-deploy', placeholder: 'abc' }),
      ),
      cdkExitCode: 0,
    };
  });

  afterEach(async () => {
    await world.server.close();
    await world.ssm.close();
    fs.rmSync(world.dir, { recursive: true, force: true });
  });
}

/** The signed-mode origin stack's outputs, as the fake cdk writes them; `extra` adds or replaces outputs. */
export function originStackOutputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    BucketName: 'ali-cdn-test',
    BucketRegion: 'ap-northeast-2',
    OriginHost: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com',
    OriginPathPrefix: '/',
    ReaderSecretArn: world.readerSecretArn,
    ReaderUserName: READER_USER,
    ...extra,
  };
}

/** What the referer-secret mode's origin stack adds: the secret's ARN (the stage's first site). */
export const REFERER_SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:s3alicdn/example/test-test-com/referer-secret';

/** Stands in for `node_modules/.bin/cdk`: records the arguments and writes the outputs file as cdk would. */
export function fakeCdk(): CdkRunner {
  return {
    run: async (args) => {
      world.cdkCalls.push([...args]);
      if (world.cdkExitCode !== 0) return { exitCode: world.cdkExitCode };
      if (args[0] === 'destroy') return destroyOriginStacks(args);
      // Only `cdk deploy` writes an outputs file; diff and destroy have no --outputs-file to read a path from.
      if (args[0] !== 'deploy') return { exitCode: 0 };
      const file = args[args.indexOf('--outputs-file') + 1];
      const stacks = args.slice(1, args.indexOf('--outputs-file'));
      const outputs = Object.fromEntries(stacks.map((stack) => [stack, originStackOutputs()]));
      fs.writeFileSync(file, world.outputsFileText ? world.outputsFileText(stacks[0]) : JSON.stringify(outputs));
      // What CloudFormation then lists (the stage inventory reads it).
      for (const stack of stacks) world.cloudFormation.put('ap-northeast-2', stack, outputs[stack]);
      return { exitCode: 0 };
    },
  };
}

/**
 * What CloudFormation does on `cdk destroy` of an origin stack, for the resources a test looks at: the reader user
 * (DeleteUser, which IAM refuses with DeleteConflict while the user has access keys, leaving the stack DELETE_FAILED),
 * then the reader key secret (removal policy DESTROY: DeleteSecret, scheduled). A re-run finds them gone.
 */
async function destroyOriginStacks(args: readonly string[]): Promise<{ exitCode: number }> {
  if (!args.some((arg) => arg.endsWith('-origin'))) return { exitCode: 0 };
  if (world.iam.keys.has(READER_USER)) {
    try {
      await world.iam.client.send(new DeleteUserCommand({ UserName: READER_USER }));
    } catch {
      return { exitCode: 1 }; // DELETE_FAILED: the user still has access keys
    }
  }
  if (world.secrets.secrets.has(world.readerSecretArn))
    await world.secrets.client.send(new DeleteSecretCommand({ SecretId: world.readerSecretArn }));
  return { exitCode: 0 };
}

export function worldDependencies(
  stage: StageConfig,
  reporter = recordingReporter(),
): DeployDependencies & { reporter: ReturnType<typeof recordingReporter> } {
  const deps = createRealDeployDependencies({
    stage,
    projectDir: world.dir,
    reporter,
    interactive: false,
    endpoints: {
      rosEndpoint: world.server.endpoint,
      alidnsEndpoint: world.server.endpoint,
      casEndpoint: world.server.endpoint,
      cdnEndpoint: world.server.endpoint,
      alibabaProtocol: 'HTTP',
    },
    overrides: {
      sts: world.sts,
      s3control: world.s3control,
      iam: world.iam.client,
      secretsManager: () => world.secrets.client,
      ssm: (region) => world.ssm.client(region),
      cloudFormation: (region) => world.cloudFormation.clientFor(region),
      alibabaCredential: new Credential({ type: 'access_key', ...TEST_CREDENTIAL } as never),
      cdk: fakeCdk(),
      rosPolling: {
        pollIntervalMs: 1000,
        maxWaitMs: 600_000,
        clock: fakeClock(),
        retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
        random: () => 0.5,
      },
    },
  });
  // The real synth, run once per distinct input in a test run (see synth-memo.ts); everything else is as users get it.
  return { ...deps, synth: memoizedSynthesizeStage } as DeployDependencies & { reporter: ReturnType<typeof recordingReporter> };
}

export async function deploy(stage: StageConfig = exampleStageWith(), yes = true): Promise<{ summary: DeploySummary; lines: string[] }> {
  const deps = worldDependencies(stage);
  const reporter = deps.reporter;
  const summary = await deployStage(stage, deps, { projectDir: world.dir, yes });
  return { summary, lines: reporter.lines };
}

export const rosCalls = () => world.server.calls.filter((call) => call.version === '2019-09-10').length;
