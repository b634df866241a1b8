import type { RosChangePreview } from '../../../lib/deploy/ros/change-sets';
import { cdnTemplate, PARAMS } from './cdn-template-fixture';
import { type RosHarness, startRosHarness, trackUnhandledRejections } from '../../doubles/ros-harness';

// An origin change (new bucket, region or URL style) reaches the CDN stack as a new OriginHost parameter value. With
// `Sources` (ROS: editable) it must be an in-place Modify of the CDN domain; with `OriginServers` (ROS: not editable)
// the double replaces the domain, which is what the template change away from OriginServers avoids.
const rejections = trackUnhandledRejections();
let h: RosHarness;
beforeEach(async () => {
  h = await startRosHarness();
});
afterEach(async () => {
  await h.close();
});
afterAll(() => {
  expect(rejections).toEqual([]);
});

const NEW_ORIGIN = { ...PARAMS, OriginHost: 'other-bucket.s3.eu-central-1.amazonaws.com' };

async function changeOrigin(template: string): Promise<RosChangePreview> {
  const previews: RosChangePreview[] = [];
  await h.deployment().deploy({ stackName: 'cdn-example', templateBody: template, parameters: PARAMS, confirm: async () => true });
  const res = await h.deployment().deploy({
    stackName: 'cdn-example',
    templateBody: template,
    parameters: NEW_ORIGIN,
    confirm: async (preview) => {
      previews.push(preview);
      return true;
    },
  });
  expect(res.action).toBe('updated');
  return previews[0]!;
}

test('an origin change through Sources updates the CDN domain in place', async () => {
  const preview = await changeOrigin(cdnTemplate());
  expect(preview.changes).toEqual([
    { action: 'Modify', logicalId: 'CdnDomain', resourceType: 'ALIYUN::CDN::Domain', replacement: 'False', properties: ['Sources'] },
  ]);
  expect(preview.text).not.toMatch(/REPLACE/);
});

test('the same change through OriginServers would replace the CDN domain (the double models it as not editable)', async () => {
  const legacy = JSON.parse(cdnTemplate());
  delete legacy.Resources.CdnDomain.Properties.Sources;
  legacy.Resources.CdnDomain.Properties.OriginServers = [{ Type: 'domain', Content: { Ref: 'OriginHost' }, Port: 443, Priority: '20' }];
  const preview = await changeOrigin(JSON.stringify(legacy));
  expect(preview.changes).toEqual([
    { action: 'Modify', logicalId: 'CdnDomain', resourceType: 'ALIYUN::CDN::Domain', replacement: 'True', properties: ['OriginServers'] },
  ]);
});
