import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { destroyStage } from '../../lib/deploy/destroy-stage';
import { diffStage } from '../../lib/deploy/diff-stage';
import { rotateStage } from '../../lib/deploy/rotate-stage';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { trackUnhandledRejections } from '../helpers/unhandled-rejections';
import { deploy, originStackOutputs, READER_USER, REFERER_SECRET_ARN, useStageWorld, world, worldDependencies } from './stage-world';

const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

const mutating = ['CreateStack', 'ExecuteChangeSet', 'UpdateStack', 'DeleteStack'];

describe('diff', () => {
  test('previews both clouds and executes nothing', async () => {
    await deploy();
    const before = world.server.calls.length;
    const stage = exampleStageWith((site) => (site.cache.byPath[0].ttlSeconds = 900));
    const deps = worldDependencies(stage);
    expect(await diffStage(stage, deps, { projectDir: world.dir, fail: true })).toBe(1);
    expect(world.cdkCalls.at(-1)).toEqual(
      expect.arrayContaining(['diff', 's3alicdn-example-test-test-com-origin', '--fail', '--app', 'deploy.out/example/cdk.out']),
    );
    const calls = world.server.calls.slice(before).map((call) => call.action);
    expect(calls).toContain('CreateChangeSet');
    expect(calls).toContain('DeleteChangeSet');
    expect(calls.filter((action) => mutating.includes(action))).toEqual([]);
    expect(deps.reporter.lines.join('\n')).toContain('CacheConfig');
  });

  test('no change: exit 0 even with --fail', async () => {
    await deploy();
    const deps = worldDependencies(exampleStageWith());
    expect(await diffStage(exampleStageWith(), deps, { projectDir: world.dir, fail: true })).toBe(0);
  });
});

describe('destroy', () => {
  test('deletes the ROS stack first, then the AWS stacks, and keeps the bucket by default', async () => {
    await deploy();
    const s3 = new S3Client({ region: 'ap-northeast-2' });
    const s3Mock = mockClient(s3);
    const deps = worldDependencies(exampleStageWith());
    const order: string[] = [];
    const ros = deps.ros;
    const cdk = deps.cdk;
    const code = await destroyStage(
      exampleStageWith(),
      {
        ...deps,
        ros: { ...ros, destroy: async (request) => (order.push(`ros:${request.stackName}`), ros.destroy(request)) },
        cdk: { run: async (args, options) => (order.push(`cdk:${args.slice(0, 2).join(' ')}`), cdk.run(args, options)) },
        s3: () => s3,
      },
      { projectDir: world.dir, yes: true, deleteData: false },
    );
    expect(code).toBe(0);
    expect(order).toEqual(['ros:s3alicdn-example-test-test-com-cdn', 'cdk:destroy s3alicdn-example-test-test-com-origin']);
    expect(world.server.calls.some((call) => call.action === 'DeleteStack')).toBe(true);
    expect(s3Mock.commandCalls(DeleteBucketCommand)).toHaveLength(0);
    expect(deps.reporter.lines.join('\n')).toContain('Kept bucket ali-cdn-test and its data');
  });

  test('--delete-data empties and deletes the bucket after the stacks', async () => {
    const s3 = new S3Client({ region: 'ap-northeast-2' });
    const s3Mock = mockClient(s3);
    s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'index.html', VersionId: 'v1' }] });
    s3Mock.on(DeleteObjectsCommand).resolves({});
    s3Mock.on(DeleteBucketCommand).resolves({});
    const deps = worldDependencies(exampleStageWith());
    expect(await destroyStage(exampleStageWith(), { ...deps, s3: () => s3 }, { projectDir: world.dir, yes: true, deleteData: true })).toBe(
      0,
    );
    expect(s3Mock.commandCalls(DeleteBucketCommand)).toHaveLength(1);
  });

  test('declined: nothing is deleted', async () => {
    const deps = worldDependencies(exampleStageWith());
    const code = await destroyStage(
      exampleStageWith(),
      { ...deps, confirm: async () => false, s3: () => new S3Client({}) },
      { projectDir: world.dir, yes: false, deleteData: true },
    );
    expect(code).toBe(1);
    expect(world.cdkCalls).toEqual([]);
    expect(world.server.calls.filter((call) => call.action === 'DeleteStack')).toEqual([]);
  });
});

describe('rotate', () => {
  test('reader key: the CDN gets the new key, then the old key is deactivated', async () => {
    await deploy();
    const [firstKey] = world.iam.keyIds(READER_USER);
    const deps = worldDependencies(exampleStageWith());
    const code = await rotateStage(exampleStageWith(), deps, { projectDir: world.dir, yes: true, target: 'reader-key' });
    expect(code).toBe(0);
    const keys = world.iam.keyIds(READER_USER);
    expect(keys).toHaveLength(2);
    const newKey = keys.find((key) => key !== firstKey)!;
    expect(world.iam.key(READER_USER, firstKey)!.status).toBe('Inactive');
    expect(world.iam.key(READER_USER, newKey)!.status).toBe('Active');
    // The ROS stack was updated with the new key (a change set executed during the rotation), after the two of the
    // first deploy (the new domain alone, then its configuration).
    expect(world.server.calls.filter((call) => call.action === 'ExecuteChangeSet')).toHaveLength(3);
    const secret = world.iam.key(READER_USER, newKey)!.secretAccessKey;
    expect(deps.reporter.lines.join('\n')).not.toContain(secret);
  });

  test('referer secret: begin, deploy, finish, deploy', async () => {
    const stage = exampleStageWith((site) => (site.originAccess = { mode: 'referer-secret' }));
    world.outputsFileText = (stack) => JSON.stringify({ [stack]: originStackOutputs({ RefererSecretArn: REFERER_SECRET_ARN }) });
    const { mockClient: mock } = await import('aws-sdk-client-mock');
    const { GetPublicAccessBlockCommand } = await import('@aws-sdk/client-s3-control');
    mock(world.s3control)
      .on(GetPublicAccessBlockCommand)
      .rejects(Object.assign(new Error('none'), { name: 'NoSuchPublicAccessBlockConfiguration', $metadata: { httpStatusCode: 404 } }));
    const first = await deploy(stage);
    expect(first.summary.error).toBeUndefined();
    const name = 's3alicdn/example/test-test-com/referer-secret';
    const initial = JSON.parse(world.secrets.value(name)!);
    expect(initial.current).toBe(initial.previous);

    const deps = worldDependencies(stage);
    expect(await rotateStage(stage, deps, { projectDir: world.dir, yes: true, target: 'referer-secret' })).toBe(0);
    const rotated = JSON.parse(world.secrets.value(name)!);
    expect(rotated.current).not.toBe(initial.current);
    expect(rotated.previous).toBe(rotated.current);
    // Each deploy pinned the then-current secret version into the template: three AWS deploys in all.
    const pins = world.cdkCalls.filter((args) => args[0] === 'deploy').length;
    expect(pins).toBe(3);
    expect(deps.reporter.lines.join('\n')).not.toContain(rotated.current);
  });
});
