import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { deployStage } from '../../lib/deploy/deploy-stage';
import { diffStage } from '../../lib/deploy/diff-stage';
import { stageOutdirs } from '../../lib/synth/synthesize-stage';
import { trackUnhandledRejections } from '../doubles/ros-harness';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { useStageWorld, world, worldDependencies } from './stage-world';

/**
 * Two stages deployed from one checkout at the same time. Synth replaces its output folders wholesale and the deploy
 * reads them again after `cdk deploy` (origin-outputs.json, the ROS templates), so a shared cdk.out/ros.out let one
 * stage's synth pull the other's files away (ENOENT on a template, "stack missing" in origin-outputs.json).
 */
const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

const example = exampleStageWith();
// A CDN domain is on the CDN once (AddCdnDomain: DomainAlreadyExist), so each stage serves its own domain.
const prod = exampleStageWith((site) => {
  site.originAccess = { mode: 'referer' };
  site.domain = 'prod.test.com';
  site.certificate = { source: 'cas', certificateId: '12345679', region: 'ap-southeast-1' };
}, 'prod');

test('each stage synthesizes into its own folders', () => {
  expect(stageOutdirs('example')).toEqual({ aws: 'deploy.out/example/cdk.out', ros: 'deploy.out/example/ros.out' });
  expect(stageOutdirs('prod').aws).not.toEqual(stageOutdirs('example').aws);
});

test('a deploy of another stage in the middle of this one (after its synth, during cdk deploy) breaks neither', async () => {
  // prod uses the referer mode, whose preflight reads the account's Block Public Access: none set.
  mockClient(world.s3control).on(GetPublicAccessBlockCommand).rejects(noPublicAccessBlock());
  world.cas.add({
    id: 12345679,
    name: 'prod',
    common: 'prod.test.com',
    sans: ['prod.test.com'],
    notAfter: new Date(Date.now() + 200 * 86_400_000),
  });
  const prodDeps = worldDependencies(prod);
  const exampleDeps = worldDependencies(example);
  let prodSummary: Awaited<ReturnType<typeof deployStage>> | undefined;
  const cdk = exampleDeps.cdk;
  const interleaved = {
    ...exampleDeps,
    cdk: {
      run: async (args: string[], options: { profile?: string }) => {
        const result = await cdk.run(args, options);
        // The whole prod deploy runs while example sits between its cdk deploy and its ROS step.
        if (args[0] === 'deploy' && !prodSummary) prodSummary = await deployStage(prod, prodDeps, { projectDir: world.dir, yes: true });
        return result;
      },
    },
  };
  const exampleSummary = await deployStage(example, interleaved, { projectDir: world.dir, yes: true });
  expect(prodSummary?.error).toBeUndefined();
  expect(prodSummary).toMatchObject({ ok: true, sites: [{ rosCdn: 'created' }] });
  expect(exampleSummary).toMatchObject({ ok: true, sites: [{ rosCdn: 'created' }] });
  // Created with the domain alone, then updated with its configuration once the review passed.
  expect(world.ros.stackByName('s3alicdn-example-test-test-com-cdn')?.status).toBe('UPDATE_COMPLETE');
  expect(world.ros.stackByName('s3alicdn-prod-prod-test-com-cdn')?.status).toBe('UPDATE_COMPLETE');
  for (const stage of ['example', 'prod']) {
    const outputs = JSON.parse(fs.readFileSync(path.join(world.dir, stageOutdirs(stage).aws, 'origin-outputs.json'), 'utf8'));
    expect(Object.keys(outputs)).toEqual([`s3alicdn-${stage}-${stage === 'prod' ? 'prod' : 'test'}-test-com-origin`]);
  }
  // cdk deploys each stage's own assembly.
  expect(world.cdkCalls.map((args) => args[args.indexOf('--app') + 1])).toEqual(['deploy.out/example/cdk.out', 'deploy.out/prod/cdk.out']);
}, 180_000); // two real synths (one per stage) on a loaded machine

test('diff runs cdk diff on the stage’s own assembly', async () => {
  await diffStage(prod, worldDependencies(prod), { projectDir: world.dir });
  expect(world.cdkCalls.at(-1)).toEqual(expect.arrayContaining(['diff', '--app', 'deploy.out/prod/cdk.out']));
});

function noPublicAccessBlock(): Error {
  return Object.assign(new Error('The public access block configuration was not found'), { name: 'NoSuchPublicAccessBlockConfiguration' });
}
