import { outputsFilePath, readDeployOutputs } from '../../lib/deploy/deploy-outputs-file';
import { CasApiTestDouble } from '../doubles/cas-api-double';
import { FIFTY_SITES, fiftySiteStage, WILDCARD_CERTIFICATE_ID } from '../helpers/fifty-site-stage';
import { trackUnhandledRejections } from '../helpers/unhandled-rejections';
import { deploy, useStageWorld, world } from './stage-world';

const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

const SITES = FIFTY_SITES;

test(`${SITES} sites in one stage deploy against the test doubles, then re-deploy as a no-op`, async () => {
  new CasApiTestDouble(world.server).add({
    id: Number(WILDCARD_CERTIFICATE_ID),
    name: 'wildcard',
    common: '*.test.com',
    sans: ['*.test.com'],
    notAfter: new Date(Date.now() + 200 * 86_400_000),
  });
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
}, 120_000); // each deploy now also reads back, per site, what the CDN holds (two CDN API calls), and re-synthesizes the ROS app once
