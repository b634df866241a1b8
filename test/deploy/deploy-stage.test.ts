import * as fs from 'node:fs';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { outputsFilePath, readDeployOutputs } from '../../lib/deploy/deploy-outputs-file';
import { AlibabaRpcServerTestDouble } from '../doubles/alibaba-rpc-server';
import { AlidnsApiTestDouble } from '../doubles/alidns-api-double';
import { CasApiTestDouble } from '../doubles/cas-api-double';
import { RosApiTestDouble } from '../doubles/ros-api-double';
import { TEST_CREDENTIAL, trackUnhandledRejections } from '../doubles/ros-harness';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { ACCOUNT, deploy, READER_USER, rosCalls, useStageWorld, world } from './stage-world';

/** `deploy` end to end against the test doubles of test/deploy/stage-world.ts. */
const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

describe('deploy, end to end against the test doubles', () => {
  test('deploys the AWS origin, then the ROS stack with the reader key, streams events and writes the outputs file', async () => {
    const { summary, lines } = await deploy();
    expect(summary).toMatchObject({
      ok: true,
      stage: 'example',
      sites: [{ site: 'test-test-com', awsOrigin: 'deployed', rosCdn: 'created' }],
    });

    // Order: preflight, then cdk deploy of the synthesized assembly, then ROS.
    expect(world.cdkCalls).toHaveLength(1);
    expect(world.cdkCalls[0]).toEqual(
      expect.arrayContaining([
        'deploy',
        's3alicdn-example-test-test-com-origin',
        '--app',
        'deploy.out/example/cdk.out',
        '--require-approval',
        'never',
      ]),
    );
    expect(lines.findIndex((line) => line.includes('Deploying AWS origin'))).toBeLessThan(
      lines.findIndex((line) => line.includes('Deploying Alibaba ROS stack')),
    );

    // The first reader key was created and handed to ROS as NoEcho parameters; it appears in no output line.
    const [keyId] = world.iam.keyIds(READER_USER);
    expect(keyId).toMatch(/^AKIA/);
    const secretKey = world.iam.key(READER_USER, keyId)!.secretAccessKey;
    expect(lines.join('\n')).not.toContain(secretKey);
    expect(JSON.stringify(summary)).not.toContain(secretKey);

    // Events streamed with cdk-style progress counters.
    expect(lines.filter((line) => line.startsWith('event: ['))).not.toHaveLength(0);
    expect(lines.some((line) => /event: \[\d+\/\d+\] .*CREATE_COMPLETE\s+Domain \(ALIYUN::CDN::Domain\)/.test(line))).toBe(true);

    const outputs = readDeployOutputs(outputsFilePath('example', world.dir));
    const site = outputs.sites['test-test-com'];
    expect(site.aws.outputs).toMatchObject({
      BucketName: 'ali-cdn-test',
      OriginHost: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com',
      ReaderUserName: READER_USER,
    });
    expect(site.ros?.outputs.CdnCname).toBeDefined();
    expect(site.ros?.outputs.ServiceUrl).toBe('https://test.test.com/');
    expect(site.dns).toEqual({ provider: 'alidns', name: 'test.test.com', cnameTarget: site.ros!.outputs.CdnCname });
    expect(fs.readFileSync(outputsFilePath('example', world.dir), 'utf8')).not.toContain(secretKey);
  });

  test('prints each ROS stack event and the change preview exactly once', async () => {
    const { lines } = await deploy();
    const stackName = 's3alicdn-example-test-test-com-cdn';

    // One event line per event the ROS test double recorded for the stack, none repeated, none echoed as info.
    const eventLines = lines.filter((line) => line.startsWith('event: '));
    const recorded = world.ros.stackByName(stackName)!.events;
    expect(eventLines).toHaveLength(recorded.length);
    expect(new Set(eventLines).size).toBe(eventLines.length);
    const shown = eventLines.map((line) => line.slice('event: '.length));
    expect(lines.filter((line) => !line.startsWith('event: ') && shown.some((event) => line.endsWith(event)))).toEqual([]);

    // The preview's header and each of its change lines appear once.
    const header = lines.filter((line) => line.includes(`ROS stack '${stackName}' (CREATE):`));
    expect(header).toHaveLength(1);
    const previewLines = header[0].slice('info: '.length).split('\n');
    expect(previewLines.length).toBeGreaterThan(1);
    for (const previewLine of previewLines) {
      expect(lines.filter((line) => line.includes(previewLine))).toHaveLength(1);
    }
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
      'CDK bootstrap (ap-northeast-2)',
      'Alibaba DNS zone test.com',
      'certificate for test.test.com',
      'CDN domain ownership (test.test.com)',
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
    mockClient(world.sts)
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }));
    const { summary, lines } = await deploy();
    expect(summary).toMatchObject({ ok: false, failedStep: 'preflight', code: 'PREFLIGHT_FAILED' });
    expect(lines.some((line) => line.startsWith('warn: ✗ AWS credentials:'))).toBe(true);
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
    expect(lines.find((line) => line.startsWith('warn: ✗ Alibaba DNS zone test.com:'))).toContain('test.com');
    nothingChanged();
  });

  test("a DNS TTL the zone's Free Edition refuses (60 s; its minimum is 600)", async () => {
    const { summary, lines } = await deploy(exampleStageWith((site) => (site.dns = { ttlSeconds: 60 })));
    expect(summary).toMatchObject({ ok: false, failedStep: 'preflight' });
    expect(lines.find((line) => line.startsWith('warn: ✗ Alibaba DNS zone test.com:'))).toContain(
      'accepts a TTL of at least 600 seconds, but dns.ttlSeconds is 60',
    );
    nothingChanged();
  });

  test('an AWS region that was never CDK-bootstrapped, with the exact command to run', async () => {
    const stage = exampleStageWith((site) => (site.bucket.region = 'eu-west-1'));
    const { summary, lines } = await deploy(stage);
    expect(summary).toMatchObject({ ok: false, failedStep: 'preflight', code: 'PREFLIGHT_FAILED' });
    expect(lines).toContain(
      `warn: ✗ CDK bootstrap (eu-west-1): aws://${ACCOUNT}/eu-west-1 is not CDK-bootstrapped: the SSM parameter /cdk-bootstrap/hnb659fds/version does not exist in eu-west-1. ` +
        `Fix: run \`npx cdk bootstrap aws://${ACCOUNT}/eu-west-1\` once with credentials for account ${ACCOUNT} (it creates the CDKToolkit stack), then run the command again.`,
    );
    expect(world.ssm.calls.map((call) => call.region)).toEqual(['eu-west-1']);
    nothingChanged();
  });

  test('account Block Public Access that would break a referer mode', async () => {
    mockClient(world.s3control)
      .on(GetPublicAccessBlockCommand)
      .resolves({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      });
    const { summary, lines } = await deploy(exampleStageWith((site) => (site.originAccess = { mode: 'referer' })));
    expect(summary).toMatchObject({ ok: false, failedStep: 'preflight' });
    expect(lines.some((line) => line.startsWith('warn: ✗ account Block Public Access (referer mode):'))).toBe(true);
    nothingChanged();
  });

  test('a malformed outputs file stops before the ROS stack, naming the file and key', async () => {
    world.outputsFileText = (stack) => JSON.stringify({ [stack]: { BucketName: 'ali-cdn-test' } });
    const { summary } = await deploy();
    expect(summary).toMatchObject({ ok: false, failedStep: 'origin-outputs', code: 'BAD_FILE' });
    expect(summary.error).toMatch(
      /origin-outputs\.json: stack "s3alicdn-example-test-test-com-origin" \(signed mode\): output "BucketRegion" is missing/,
    );
    expect(summary.error).toContain('The AWS origin stack is deployed; the CDN stack was not touched.');
    expect(world.server.calls.filter((call) => call.action === 'CreateChangeSet')).toEqual([]);
  });

  test('a failed cdk deploy says what state it left and how to go on', async () => {
    world.cdkExitCode = 1;
    const { summary } = await deploy();
    expect(summary).toMatchObject({ ok: false, failedStep: 'aws-origin', code: 'DEPLOY_FAILED' });
    expect(summary.error).toContain('cdk deploy exited with code 1.');
    expect(summary.error).toContain('Every step is safe to re-run');
  });

  test('without --yes and without a terminal, the ROS changes are not executed', async () => {
    const { summary } = await deploy(exampleStageWith(), false);
    expect(summary).toMatchObject({ ok: false, failedStep: 'ros-cdn', code: 'NOT_CONFIRMED' });
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
