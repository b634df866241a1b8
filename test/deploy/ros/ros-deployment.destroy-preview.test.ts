import * as $ROS from '@alicloud/ros20190910';
import { RosDeployError } from '../../../lib/deploy/ros/ros-client';
import { cdnTemplate, PARAMS } from './cdn-template-fixture';
import { type RosHarness, useRosHarness } from '../../doubles/ros-harness';

let h: RosHarness;
useRosHarness((harness) => (h = harness));

const stackName = 'cdn-life';
const deploy = (template = cdnTemplate()) =>
  h.deployment().deploy({ stackName, templateBody: template, parameters: PARAMS, confirm: async () => true });
const preview = (template = cdnTemplate()) => h.deployment().preview({ stackName, templateBody: template, parameters: PARAMS });
const destroy = () => h.deployment().destroy({ stackName });

describe('RosDeployment.preview (diff)', () => {
  test('a stack that does not exist yet is reported as all Add, without any write call', async () => {
    const res = await preview();
    expect(res.stackExists).toBe(false);
    expect(res.preview.changes.map((change) => `${change.action} ${change.logicalId}`)).toEqual([
      'Add CdnDomain',
      'Add CdnFunctions',
      'Add DnsRecord',
    ]);
    expect(h.server.calls.map((call) => call.action)).toEqual(['ListStacks']);
  });

  test('an existing stack gets a change set that is read, deleted and never executed', async () => {
    await deploy();
    h.server.resetCalls();
    const res = await preview(cdnTemplate({ hstsMaxAge: '1', extraRecord: true }));
    expect(res.stackExists).toBe(true);
    expect(res.preview.changes.map((change) => `${change.action} ${change.logicalId} ${change.replacement ?? ''}`.trim())).toEqual([
      'Modify CdnFunctions True',
      'Add WwwRecord',
    ]);
    expect(res.preview.text).toContain('REPLACE (delete and re-create)');
    expect(h.server.callCount('ExecuteChangeSet')).toBe(0);
    expect(h.server.callCount('DeleteChangeSet')).toBe(1);
    expect(h.ros.changeSetsOf(stackName).filter((changeSet) => changeSet.type === 'UPDATE')).toEqual([]);
    expect(h.ros.stackByName(stackName)?.resources.has('WwwRecord')).toBe(false);
  });

  test('no differences give an empty preview, repeatedly', async () => {
    await deploy();
    for (let i = 0; i < 2; i++) {
      const res = await preview();
      expect(res.preview.changes).toEqual([]);
      expect(res.preview.text).toBe(`ROS stack '${stackName}' (UPDATE): no changes`);
    }
  });

  test('a stack busy with another operation is reported, not diffed', async () => {
    h.ros.setStuck(stackName, true);
    await h.client.createStack(
      new $ROS.CreateStackRequest({
        regionId: 'cn-hangzhou',
        stackName,
        templateBody: cdnTemplate(),
        parameters: Object.entries(PARAMS).map(
          ([parameterKey, parameterValue]) => new $ROS.CreateStackRequestParameters({ parameterKey, parameterValue }),
        ),
      }),
    );
    await expect(preview()).rejects.toThrow(
      `ROS stack '${stackName}' is CREATE_IN_PROGRESS; run diff again when that operation has finished.`,
    );
  });
});

describe('RosDeployment.destroy', () => {
  test('deletes the stack, streaming events, and waits for DELETE_COMPLETE', async () => {
    await deploy();
    h.logs.length = 0;
    const res = await destroy();
    expect(res.action).toBe('deleted');
    expect(h.ros.stackByName(stackName)).toBeUndefined();
    expect(h.logs).toContain('[3/3] DELETE_COMPLETE CdnDomain (ALIYUN::CDN::Domain) state changed');
    expect(h.logs[h.logs.length - 1]).toBe(`ROS stack '${stackName}': DELETE_COMPLETE`);
  });

  test('works when ROS forgets a deleted stack at once (GetStack answers StackNotFound)', async () => {
    await deploy();
    h.ros.forgetDeletedStacks = true;
    expect((await destroy()).action).toBe('deleted');
  });

  test('a missing stack is a no-op', async () => {
    const res = await destroy();
    expect(res).toEqual({ action: 'not-found', apiCalls: 1 });
  });

  test('a resource that cannot be deleted fails with the resource, the reason and the next step', async () => {
    await deploy();
    h.ros.failResource('DnsRecord', 'The DNS record is locked.', 'delete');
    const err = (await destroy().catch((error: unknown) => error)) as RosDeployError;
    expect(err).toBeInstanceOf(RosDeployError);
    expect(err.stackStatus).toBe('DELETE_FAILED');
    expect(err.message).toContain('  - DnsRecord (ALIYUN::DNS::DomainRecord) DELETE_FAILED: The DNS record is locked.');
    expect(err.message).toContain(
      'How to go on: Some resources could not be deleted. Fix the cause above (or delete those resources by hand) and run destroy again.',
    );
    // The next destroy goes through once the cause is gone.
    expect((await destroy()).action).toBe('deleted');
  });
});

describe('RosDeployment.outputs', () => {
  test('returns the outputs of a deployed stack and undefined for a missing one', async () => {
    expect(await h.deployment().outputs(stackName)).toBeUndefined();
    await deploy();
    expect(await h.deployment().outputs(stackName)).toEqual({
      stackId: expect.any(String),
      status: 'CREATE_COMPLETE',
      outputs: { CdnCname: 'test.test.com.w.kunlunsl.com', ServiceDomain: 'test.test.com' },
      // The parameters the stack runs with, NoEcho ones masked as ROS shows them.
      parameters: expect.objectContaining({ OriginHost: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com', S3SecretKey: '****' }),
    });
  });
});
