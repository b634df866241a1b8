import { diffStage } from '../../lib/deploy/diff-stage';
import { deployStage } from '../../lib/deploy/deploy-stage';
import { parseStackName } from '../../lib/deploy/stage-inventory';
import { trackUnhandledRejections } from '../doubles/ros-harness';
import { exampleStageWith, twoSiteStage } from '../helpers/stage-fixtures';
import { useStageWorld, world, worldDependencies } from './stage-world';

/**
 * A site removed from config/<stage>.json: deploy and destroy loop over the configured sites only, so its stacks
 * (and its CDN domain) would stay live with no command reaching them. deploy and diff find them by the project's
 * stack names in both clouds and report them; `deploy --prune` removes them, ROS first, data kept.
 */
const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

const REMOVED = { origin: 's3alicdn-example-www-test-com-origin', cdn: 's3alicdn-example-www-test-com-cdn' };

async function deployBothSitesThenRemoveOne() {
  world.cas.add({
    id: 87654321,
    name: 'www',
    common: 'www.test.com',
    sans: ['www.test.com'],
    notAfter: new Date(Date.now() + 200 * 86_400_000),
  });
  const both = await deployStage(twoSiteStage(), worldDependencies(twoSiteStage()), { projectDir: world.dir, yes: true });
  expect(both.error).toBeUndefined();
  expect(world.ros.stackByName(REMOVED.cdn)).toBeDefined();
  expect(world.cloudFormation.live('ap-northeast-2')).toContain(REMOVED.origin);
  // Stacks that are not this stage's: another project, and a longer stage name that starts like this one.
  world.cloudFormation.put('ap-northeast-2', 'someone-elses-stack');
  world.cloudFormation.put('ap-northeast-2', 's3alicdn-example-eu-test-test-com-origin');
}

const oneSite = exampleStageWith();

test('deploy and diff report the stacks of a removed site, and keep them running', async () => {
  await deployBothSitesThenRemoveOne();
  const deps = worldDependencies(oneSite);
  const summary = await deployStage(oneSite, deps, { projectDir: world.dir, yes: true, otherStages: ['example', 'example-eu'] });
  expect(summary.ok).toBe(true);
  expect(summary.unownedStacks?.map((stack) => [stack.cloud, stack.stackName, stack.siteId])).toEqual([
    ['ros', REMOVED.cdn, 'www-test-com'],
    ['aws', REMOVED.origin, 'www-test-com'],
  ]);
  const text = deps.reporter.lines.join('\n');
  expect(text).toContain(
    `warn: ${REMOVED.cdn} (Alibaba ROS, ap-southeast-1, UPDATE_COMPLETE): site "www-test-com" is no longer in the configuration`,
  );
  expect(text).toContain('`deploy --prune`');
  // Nothing of it was touched.
  expect(world.ros.stackByName(REMOVED.cdn)?.status).toBe('UPDATE_COMPLETE');
  expect(world.cloudFormation.deleteCalls).toEqual([]);

  const diffDeps = worldDependencies(oneSite);
  await diffStage(oneSite, diffDeps, { projectDir: world.dir, otherStages: ['example', 'example-eu'] });
  expect(diffDeps.reporter.lines.filter((line) => line.startsWith('warn: s3alicdn-'))).toEqual([
    expect.stringContaining(REMOVED.cdn),
    expect.stringContaining(REMOVED.origin),
  ]);
}, 240_000);

test('deploy --prune removes them, ROS first, keeps the bucket, and a second run finds nothing', async () => {
  await deployBothSitesThenRemoveOne();
  const deps = worldDependencies(oneSite);
  const order: string[] = [];
  const ros = deps.ros;
  const summary = await deployStage(
    oneSite,
    {
      ...deps,
      ros: {
        deploy: (request) => ros.deploy(request),
        preview: (request) => ros.preview(request),
        outputs: (name) => ros.outputs(name),
        destroy: async (request) => (order.push(`ros:${request.stackName}`), ros.destroy(request)),
      },
    },
    { projectDir: world.dir, yes: true, prune: true, otherStages: ['example', 'example-eu'] },
  );
  expect(summary.error).toBeUndefined();
  expect(summary.pruned).toEqual([REMOVED.cdn, REMOVED.origin]);
  expect(order).toEqual([`ros:${REMOVED.cdn}`]);
  expect(world.ros.stackByName(REMOVED.cdn)).toBeUndefined();
  expect(world.cloudFormation.live('ap-northeast-2')).not.toContain(REMOVED.origin);
  // The configured site and the stacks that are not this stage's are untouched.
  expect(world.ros.stackByName('s3alicdn-example-test-test-com-cdn')).toBeDefined();
  expect(world.cloudFormation.live('ap-northeast-2')).toEqual(
    expect.arrayContaining(['s3alicdn-example-test-test-com-origin', 'someone-elses-stack', 's3alicdn-example-eu-test-test-com-origin']),
  );
  // The bucket named by the stack's BucketName output (the fake cdk writes ali-cdn-test for every stack).
  expect(deps.reporter.lines).toContain('info: Kept bucket ali-cdn-test and its data (delete it with --delete-data, or by hand).');

  const again = await deployStage(oneSite, worldDependencies(oneSite), {
    projectDir: world.dir,
    yes: true,
    prune: true,
    otherStages: ['example', 'example-eu'],
  });
  expect(again).toMatchObject({ ok: true, unownedStacks: [], pruned: [] });
}, 240_000);

test('stack names: this stage, its site and the kind; a longer stage name of the project claims its own', () => {
  expect(parseStackName('s3alicdn-prod-www-test-com-origin', 'prod')).toEqual({ siteId: 'www-test-com', kind: 'origin' });
  expect(parseStackName('s3alicdn-prod-www-test-com-cdn', 'prod')).toEqual({ siteId: 'www-test-com', kind: 'cdn' });
  expect(parseStackName('s3alicdn-prod-eu-test-com-dns', 'prod', ['prod', 'prod-eu'])).toBeUndefined();
  expect(parseStackName('s3alicdn-prod-eu-test-com-dns', 'prod')).toEqual({ siteId: 'eu-test-com', kind: 'dns' });
  expect(parseStackName('s3alicdn-production-x-origin', 'prod')).toBeUndefined();
  expect(parseStackName('s3alicdn-prod-x-bucket', 'prod')).toBeUndefined();
});
