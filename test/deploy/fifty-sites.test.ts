import { parseStage } from '../../lib/config/load-stage';
import { outputsFilePath, readDeployOutputs } from '../../lib/deploy/deploy-outputs-file';
import { CasApiTestDouble } from '../doubles/cas-api-double';
import { exampleStageDocument } from '../helpers/stage-fixtures';
import { trackUnhandledRejections } from './alibaba/ros-harness';
import { deploy, useStageWorld, world } from './stage-world';

const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

const SITES = 50;

/** The example site fifty times over: distinct domains and buckets, one wildcard certificate. */
function fiftySiteStage() {
  const document = exampleStageDocument();
  const template = document.sites[0];
  document.sites = Array.from({ length: SITES }, (_, i) => ({
    ...template,
    domain: `site${i}.test.com`,
    bucket: { name: `ali-cdn-test-${i}`, region: 'ap-northeast-2' },
    certificate: { source: 'cas', certificateId: '87654321', region: 'ap-southeast-1' },
  }));
  return parseStage(document, 'example');
}

test(`${SITES} sites in one stage deploy against the test doubles, then re-deploy as a no-op`, async () => {
  new CasApiTestDouble(world.server).add({ id: 87654321, name: 'wildcard', common: '*.test.com', sans: ['*.test.com'], notAfter: new Date(Date.now() + 200 * 86_400_000) });
  const stage = fiftySiteStage();
  // The fake cdk answers with one origin outputs entry per stack it was asked to deploy.
  const first = await deploy(stage);
  expect(first.summary.error).toBeUndefined();
  expect(first.summary.sites).toHaveLength(SITES);
  expect(new Set(first.summary.sites.map((site) => site.rosCdn))).toEqual(new Set(['created']));
  expect(world.cdkCalls[0].filter((arg) => arg.endsWith('-origin'))).toHaveLength(SITES);

  const outputs = readDeployOutputs(outputsFilePath('example', world.dir));
  expect(Object.keys(outputs.sites)).toHaveLength(SITES);
  expect(outputs.sites['site49-test-com'].ros?.outputs.ServiceUrl).toBe('https://site49.test.com/');

  const second = await deploy(stage);
  expect(new Set(second.summary.sites.map((site) => site.rosCdn))).toEqual(new Set(['no-changes']));
}, 60_000);
