import type { RosChangePreview } from '../../../lib/deploy/ros/change-sets';
import { cdnTemplate, PARAMS } from './cdn-template-fixture';
import { type RosHarness, useRosHarness } from '../../doubles/ros-harness';

// An origin change (new bucket, region or URL style) reaches the CDN stack as a new OriginHost parameter value. With
// `Sources` (ROS: editable) it must be an in-place Modify of the CDN domain; with `OriginServers` (ROS: not editable)
// the double replaces the domain, which is what the template change away from OriginServers avoids.
let h: RosHarness;
useRosHarness((harness) => (h = harness));

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

function legacyTemplate(): string {
  const legacy = JSON.parse(cdnTemplate());
  delete legacy.Resources.CdnDomain.Properties.Sources;
  legacy.Resources.CdnDomain.Properties.OriginServers = [{ Type: 'domain', Content: { Ref: 'OriginHost' }, Port: 443, Priority: '20' }];
  return JSON.stringify(legacy);
}

test.each([
  ['an origin change on a stack deployed with OriginServers', legacyTemplate(), NEW_ORIGIN],
  ['the template switch from OriginServers to Sources', cdnTemplate(), PARAMS],
])('%s stops before replacing the CDN domain, with instructions', async (_name, nextTemplate, nextParams) => {
  await h.deployment().deploy({ stackName: 'cdn-example', templateBody: legacyTemplate(), parameters: PARAMS, confirm: async () => true });
  const confirm = jest.fn(async () => true);
  const attempt = h.deployment().deploy({ stackName: 'cdn-example', templateBody: nextTemplate, parameters: nextParams, confirm });
  await expect(attempt).rejects.toMatchObject({ reason: 'legacy-origin-servers' });
  await expect(attempt).rejects.toThrow(/REPLACE the CDN domain CdnDomain \(changed: OriginServers.*\)[\s\S]*Nothing was changed/);
  expect(confirm).not.toHaveBeenCalled();
  expect(h.server.callCount('ExecuteChangeSet')).toBe(1); // the first deploy only
  expect(h.ros.stackByName('cdn-example')?.status).toBe('CREATE_COMPLETE');
  expect(h.ros.changeSetsOf('cdn-example').filter((changeSet) => changeSet.executionStatus === 'AVAILABLE')).toEqual([]);
});
