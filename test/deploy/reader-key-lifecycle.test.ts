import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { destroyStage } from '../../lib/deploy/destroy-stage';
import { rotateStage } from '../../lib/deploy/rotate-stage';
import { awsError } from '../doubles/aws-error-doubles';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { trackUnhandledRejections } from '../helpers/unhandled-rejections';
import { deploy, originStackOutputs, READER_USER, REFERER_SECRET_ARN, useStageWorld, world, worldDependencies } from './stage-world';

/*
 * The reader key's whole lifecycle against the doubles: what the CDN holds is read back from the CDN API double, which
 * serves what the ROS double's stack configured (CdnFunctionState), never what a change set claimed.
 */

const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();
// The first deploy of a file synthesizes both apps for real (later ones reuse it); under load that passes 30 s.
jest.setTimeout(120_000);

const DOMAIN = 'test.test.com';
const stage = () => exampleStageWith();
const heldKey = () => world.ros.cdn.argument(DOMAIN, 'aws_s3_bucket', 'accesskey');
const storedKey = () => (JSON.parse(world.secrets.value(world.readerSecretArn) ?? '{}') as { accessKeyId?: string }).accessKeyId;
const rotate = (deps = worldDependencies(stage())) =>
  rotateStage(stage(), deps, { projectDir: world.dir, yes: true, target: 'reader-key', gracePeriodMs: 3_600_000 });

/** The invariant every successful deploy and rotate must leave: the CDN holds the stored key, and it is active. */
function expectCdnHoldsStoredActiveKey(): void {
  expect(heldKey()).toBeDefined();
  expect(heldKey()).toBe(storedKey());
  expect(world.iam.key(READER_USER, heldKey()!)?.status).toBe('Active');
  expect(world.iam.keyIds(READER_USER).length).toBeLessThanOrEqual(2);
}

/** Checks, after every change the CDN sees, that it holds a key IAM has active: no window without a way in. */
function watchForGaps(): string[] {
  const gaps: string[] = [];
  world.ros.cdn.observe((event) => {
    if (!world.ros.cdn.domains.has(DOMAIN)) return;
    const key = heldKey();
    if (!key || world.iam.key(READER_USER, key)?.status !== 'Active') gaps.push(`${event}: CDN holds ${key ?? 'no key'}`);
  });
  return gaps;
}

describe('deploy', () => {
  test('the first deploy gives the CDN the first key, read back through the CDN API', async () => {
    const { summary, lines } = await deploy();
    expect(summary.ok).toBe(true);
    expectCdnHoldsStoredActiveKey();
    expect(lines.join('\n')).toContain(`the CDN holds reader key ${storedKey()}, active`);
    expect(world.server.calls.some((call) => call.action === 'DescribeCdnDomainConfigs')).toBe(true);
  });

  test('a deactivated current key (a suspected leak) is replaced, and the CDN gets the replacement', async () => {
    await deploy();
    expect(await rotate()).toBe(0);
    const leaked = storedKey()!;
    world.iam.key(READER_USER, leaked)!.status = 'Inactive';
    const { summary, lines } = await deploy();
    expect(summary.ok).toBe(true);
    expect(storedKey()).not.toBe(leaked);
    expectCdnHoldsStoredActiveKey();
    expect(lines.join('\n')).toContain(`key ${leaked} in secret ${world.readerSecretArn} is Inactive`);
  });

  test('does not report success when the CDN holds another key, whatever the change set said', async () => {
    await deploy();
    // Someone set the function by hand: the template and parameters are unchanged, so ROS sees no changes.
    world.ros.cdn.set(
      [DOMAIN],
      [
        {
          functionName: 'aws_s3_bucket',
          args: [
            { ArgName: 'enabled', ArgValue: 'l2' },
            { ArgName: 'accesskey', ArgValue: 'AKIAOTHERKEY00000000' },
          ],
        },
      ],
      'console',
    );
    const { summary } = await deploy();
    expect(summary.ok).toBe(false);
    expect(summary.error).toContain('The CDN holds reader key AKIAOTHERKEY00000000');
  });

  test('an orphan key of a crashed run is deleted, and the run says so', async () => {
    await deploy();
    world.iam.addKey(READER_USER, 'AKIAORPHANKEY0000000', 'lost');
    const { summary, lines } = await deploy();
    expect(summary.ok).toBe(true);
    expect(world.iam.key(READER_USER, 'AKIAORPHANKEY0000000')).toBeUndefined();
    expect(lines.join('\n')).toContain('Deleted key AKIAORPHANKEY0000000');
  });
});

describe('rotate', () => {
  test.each(['create-first', 'delete-first'] as const)(
    'every rotate puts a new key in the secret and the CDN, then retires the old one, with no gap (%s replacement)',
    async (order) => {
      await deploy();
      world.ros.cdn.replacementOrder = order;
      const gaps = watchForGaps();
      const seen = [storedKey()!];
      for (let round = 0; round < 3; round++) {
        expect(await rotate()).toBe(0);
        expect(seen).not.toContain(storedKey());
        expectCdnHoldsStoredActiveKey();
        const others = world.iam.keyIds(READER_USER).filter((id) => id !== storedKey());
        for (const other of others) expect(world.iam.key(READER_USER, other)!.status).toBe('Inactive');
        seen.push(storedKey()!);
      }
      expect(gaps).toEqual([]);
    },
  );

  const crashes: Array<[string, () => void]> = [
    ['CreateAccessKey', () => world.iam.failNext('CreateAccessKey', awsError('ServiceFailure', 'crash'))],
    [
      'between CreateAccessKey and storing the key',
      () => {
        world.secrets.failNext('PutSecretValue', awsError('InternalServiceError', 'crash'));
        world.iam.failNext('DeleteAccessKey', awsError('ServiceFailure', 'crash'));
      },
    ],
    ['the CDN stack update', () => world.server.scheduleFault('ExecuteChangeSet', { kind: 'server-error', httpStatus: 500 }, Infinity)],
    ['marking the old key for retirement', () => world.iam.failNext('TagUser', awsError('ServiceFailure', 'crash'))],
    ['deactivating the old key', () => world.iam.failNext('UpdateAccessKey', awsError('ServiceFailure', 'crash'))],
  ];
  test.each(crashes)('a crash at %s: the re-run ends in the same state, with no third key and no gap', async (_step, crash) => {
    await deploy();
    const first = storedKey()!;
    const gaps = watchForGaps();
    crash();
    // A step that fails outside the deploy throws (the CLI turns it into an exit status); either way it is not a success.
    expect(await rotate().catch(() => 'threw')).not.toBe(0);
    world.server.clearFaults();
    expect(await rotate()).toBe(0);
    expectCdnHoldsStoredActiveKey();
    expect(storedKey()).not.toBe(first);
    expect(world.iam.key(READER_USER, first)?.status ?? 'deleted').not.toBe('Active');
    expect(gaps).toEqual([]);
  });
});

describe('referer-secret rotation', () => {
  test.each(['create-first', 'delete-first'] as const)(
    'the CDN always sends a referer value the bucket policy accepts, and ends with one header config (%s replacement)',
    async (order) => {
      const refererStage = exampleStageWith((site) => (site.originAccess = { mode: 'referer-secret' }));
      world.outputsFileText = (stack) => JSON.stringify({ [stack]: originStackOutputs({ RefererSecretArn: REFERER_SECRET_ARN }) });
      const { GetPublicAccessBlockCommand } = await import('@aws-sdk/client-s3-control');
      mockClient(world.s3control)
        .on(GetPublicAccessBlockCommand)
        .rejects(Object.assign(new Error('none'), { name: 'NoSuchPublicAccessBlockConfiguration', $metadata: { httpStatusCode: 404 } }));
      expect((await deploy(refererStage)).summary.ok).toBe(true);
      world.ros.cdn.replacementOrder = order;
      const name = 's3alicdn/example/test-test-com/referer-secret';
      const accepted = () => Object.values(JSON.parse(world.secrets.value(name)!) as Record<string, string>);
      const sent = () =>
        world.ros.cdn.all(DOMAIN, 'origin_request_header').map((fn) => fn.args.find((arg) => arg.ArgName === 'header_value')?.ArgValue);
      const gaps: string[] = [];
      world.ros.cdn.observe((event) => {
        const values = sent();
        if (values.length === 0 || values.some((value) => !accepted().includes(value!)))
          gaps.push(`${event}: sends ${values.join(', ') || 'nothing'}`);
      });
      const deps = worldDependencies(refererStage);
      expect(await rotateStage(refererStage, deps, { projectDir: world.dir, yes: true, target: 'referer-secret' })).toBe(0);
      expect(gaps).toEqual([]);
      expect(sent()).toEqual([JSON.parse(world.secrets.value(name)!).current]);
    },
  );
});

describe('destroy', () => {
  const s3Double = () => {
    const s3 = new S3Client({ region: 'ap-northeast-2' });
    const s3Mock = mockClient(s3);
    s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'index.html', VersionId: 'v1' }] });
    s3Mock.on(DeleteObjectsCommand).resolves({});
    s3Mock.on(DeleteBucketCommand).resolves({});
    return { s3, s3Mock };
  };

  test('deletes the reader keys before the AWS stack, so the user can be deleted; a re-run changes nothing', async () => {
    await deploy();
    expect(await rotate()).toBe(0);
    const { s3 } = s3Double();
    const deps = worldDependencies(stage());
    const order: string[] = [];
    const cdk = deps.cdk;
    const run = () =>
      destroyStage(
        stage(),
        {
          ...deps,
          cdk: {
            run: async (args, options) => (
              order.push(`cdk ${args[0]} keys=${world.iam.keys.get(READER_USER)?.length ?? 'no user'}`),
              cdk.run(args, options)
            ),
          },
          s3: () => s3,
        },
        { projectDir: world.dir, yes: true, deleteData: false },
      );
    expect(await run()).toBe(0);
    expect(order).toEqual(['cdk destroy keys=0']);
    expect(world.iam.keys.has(READER_USER)).toBe(false);
    expect(await run()).toBe(0);
  });

  test('re-runnable from a partial state: CDN stack gone, AWS stack DELETE_FAILED', async () => {
    await deploy();
    const { s3 } = s3Double();
    const deps = { ...worldDependencies(stage()), s3: () => s3 };
    // The first run stops after the CDN stack is gone: listing the keys fails.
    world.iam.failNext('ListAccessKeys', awsError('ServiceFailure', 'crash'));
    await expect(destroyStage(stage(), deps, { projectDir: world.dir, yes: true, deleteData: false })).rejects.toThrow('ListAccessKeys');
    expect(world.ros.cdn.domains.has(DOMAIN)).toBe(false);
    // A stack left DELETE_FAILED by an older destroy that did not delete the keys: the user still has them.
    world.cdkExitCode = 0;
    expect(await destroyStage(stage(), deps, { projectDir: world.dir, yes: true, deleteData: false })).toBe(0);
    expect(world.iam.keys.has(READER_USER)).toBe(false);
  });

  test('signed --delete-data leaves nothing of the stage in either cloud except what the docs say is kept', async () => {
    await deploy();
    expect(await rotate()).toBe(0);
    const { s3, s3Mock } = s3Double();
    const deps = { ...worldDependencies(stage()), s3: () => s3 };
    expect(await destroyStage(stage(), deps, { projectDir: world.dir, yes: true, deleteData: true })).toBe(0);
    // Alibaba: no stack, no CDN domain (and so no function on it).
    expect(['DELETE_COMPLETE', undefined]).toContain(world.ros.stackByName('s3alicdn-example-test-test-com-cdn')?.status);
    expect([...world.ros.cdn.domains.keys()]).toEqual([]);
    // AWS: no reader user, no keys, the reader secret deleted (scheduled, as CloudFormation's DeleteSecret does), no bucket.
    expect(world.iam.keys.has(READER_USER)).toBe(false);
    const secret = world.secrets.secrets.get(world.readerSecretArn);
    expect(secret === undefined || secret.deleted !== undefined).toBe(true);
    expect(s3Mock.commandCalls(DeleteBucketCommand)).toHaveLength(1);
    expect(deps.reporter.lines.join('\n')).toContain('Also kept: the server-access-log buckets');
  });
});

test('the IAM double refuses DeleteUser while the user has access keys (DeleteConflict), as IAM documents', async () => {
  const { DeleteUserCommand } = await import('@aws-sdk/client-iam');
  world.iam.addKey(READER_USER, 'AKIAKEYLEFT000000000', 'x');
  await expect(world.iam.client.send(new DeleteUserCommand({ UserName: READER_USER }))).rejects.toThrow('must delete access keys first');
});
