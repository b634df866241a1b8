/**
 * The engine against the strict ROS double: asynchronous ExecuteChangeSet, every documented status, unordered and
 * same-second events, LastTokenProcessing, NoEcho-only changes, refused confirmations and the overall timeout.
 * Each test fails against the engine as it was before these behaviours were modelled.
 */
import * as $ROS from '@alicloud/ros20190910';
import type { RosChangePreview } from '../../../lib/deploy/ros/change-sets';
import { RosDeployError } from '../../../lib/deploy/ros/ros-client';
import type { RosDeployRequest } from '../../../lib/deploy/ros/ros-deployment';
import { S3AlicdnError } from '../../../lib/errors';
import { cdnTemplate, PARAMS, SECRET_KEY } from './cdn-template-fixture';
import { type RosHarness, useRosHarness } from '../../doubles/ros-harness';

let h: RosHarness;
useRosHarness((harness) => (h = harness), { readTimeoutMs: 300 });

const STACK = 'cdn-strict';

function deploy(extra: Partial<RosDeployRequest> = {}, options: Parameters<RosHarness['deployment']>[0] = {}) {
  return h.deployment(options).deploy({
    stackName: STACK,
    templateBody: cdnTemplate(),
    parameters: PARAMS,
    confirm: async () => true,
    ...extra,
  });
}

describe('ExecuteChangeSet is asynchronous', () => {
  test.each([1, 3])('a create whose start lags %i poll(s) ends created, not with "final status REVIEW_IN_PROGRESS"', async (lag) => {
    h.ros.executeStartsAfterPolls = lag;
    const res = await deploy();
    expect(res).toMatchObject({ action: 'created', parameters: 'applied' });
    expect(res.outputs.ServiceDomain).toBe('test.test.com');
    expect(h.ros.stackByName(STACK)?.status).toBe('CREATE_COMPLETE');
  });

  test.each([1, 3])('an update whose start lags %i poll(s) is reported once it has really completed', async (lag) => {
    await deploy();
    h.ros.executeStartsAfterPolls = lag;
    const res = await deploy({ templateBody: cdnTemplate({ dnsTtl: 300 }) });
    expect(res.action).toBe('updated');
    // The stack really finished this update before the engine said so.
    expect(h.ros.stackByName(STACK)?.status).toBe('UPDATE_COMPLETE');
    expect(h.ros.stackByName(STACK)?.resources.get('DnsRecord')?.props.TTL).toBe(300);
    expect(h.logs).toContain("ROS stack 'cdn-strict': UPDATE_COMPLETE");
  });

  test('an update that fails after a lagging start is reported as failed, not as the earlier UPDATE_COMPLETE', async () => {
    await deploy();
    h.ros.executeStartsAfterPolls = 2;
    h.ros.failResource('DnsRecord', 'record quota exceeded', 'update');
    const err = await deploy({ templateBody: cdnTemplate({ dnsTtl: 300 }) }).catch((error: unknown) => error);
    expect(err).toBeInstanceOf(RosDeployError);
    expect((err as RosDeployError).stackStatus).toBe('ROLLBACK_COMPLETE');
  });
});

describe('stack statuses', () => {
  test('IMPORT_UPDATE_FAILED accepts an UPDATE change set (change-set guide), so deploy updates the stack', async () => {
    await deploy();
    h.ros.forceStatus(STACK, 'IMPORT_UPDATE_FAILED');
    const res = await deploy({ templateBody: cdnTemplate({ dnsTtl: 300 }) });
    expect(res.action).toBe('updated');
  });

  test('CHECK_COMPLETE does not: the deploy refuses with the status, before creating anything', async () => {
    await deploy();
    h.ros.forceStatus(STACK, 'CHECK_COMPLETE');
    h.server.resetCalls();
    const err = await deploy({ templateBody: cdnTemplate({ dnsTtl: 300 }) }).catch((error: unknown) => error);
    expect((err as RosDeployError).reason).toBe('stack-not-updatable');
    expect((err as Error).message).toContain('CHECK_COMPLETE');
    expect(h.server.callCount('CreateChangeSet')).toBe(0);
  });
});

describe('events', () => {
  test.each(['oldest-first', 'shuffled'] as const)('listed %s, several per second: each shown once, in time order', async (order) => {
    h.ros.eventOrder = order;
    h.ros.eventsPerSecond = 3;
    h.ros.stepsPerPoll = 4;
    const res = await deploy();
    expect(res.action).toBe('created');
    const resourceCompletes = h.events.filter((event) => !event.isStack && event.status === 'CREATE_COMPLETE');
    expect(resourceCompletes.map((event) => event.logicalId).sort()).toEqual(['CdnDomain', 'CdnFunctions', 'DnsRecord']);
    expect(new Set(h.events.map((event) => event.eventId)).size).toBe(h.events.length);
    const times = h.events.map((event) => event.time);
    expect(times).toEqual([...times].sort());
  });

  test('a failed read of events while waiting does not abort the wait', async () => {
    // More failures than the retry policy (4 tries) absorbs: one poll's event read fails for good.
    h.server.scheduleFault('ListStackEvents', { kind: 'server-error', httpStatus: 503 }, 5);
    const res = await deploy();
    expect(res.action).toBe('created');
    expect(h.logs.some((line) => /could not read stack events this time .*; still waiting/.test(line))).toBe(true);
  });
});

describe('documented errors', () => {
  test('LastTokenProcessing on a retried CreateChangeSet is retried with the same token: one change set, one stack', async () => {
    // The first CreateChangeSet goes through but its answer is lost; the retry finds the token still being processed.
    h.server.scheduleFault('CreateChangeSet', { kind: 'connection-reset', afterHandler: true }, 1);
    h.ros.tokenProcessingRepeats = 2;
    const res = await deploy();
    expect(res.action).toBe('created');
    const tokens = h.server.calls.filter((call) => call.action === 'CreateChangeSet').map((call) => call.params.ClientToken);
    expect(tokens).toHaveLength(4);
    expect(new Set(tokens).size).toBe(1);
    expect(h.ros.changeSetsOf(STACK)).toHaveLength(1);
  });
});

describe('NoEcho-only changes (ROS masks the values, so "no changes" proves nothing)', () => {
  const rotated = { ...PARAMS, S3SecretKey: `${SECRET_KEY}-rotated` };

  test('reported as an empty change set: with requireParametersApplied the change set is executed and the new value lands', async () => {
    await deploy();
    h.ros.noEchoOnlyChange = 'empty';
    const res = await deploy({ parameters: rotated, requireParametersApplied: true });
    expect(res).toMatchObject({ action: 'updated', parameters: 'applied' });
    expect(h.ros.stackByName(STACK)?.parameters.S3SecretKey).toBe(rotated.S3SecretKey);
  });

  test('reported as an empty change set: without the requirement the result says the values are unverified', async () => {
    await deploy();
    h.ros.noEchoOnlyChange = 'empty';
    const res = await deploy({ parameters: rotated });
    expect(res).toMatchObject({ action: 'no-changes', parameters: 'unverified' });
  });

  test.each(['failed', 'error'] as const)(
    'reported as "completely same stack" (%s): a run that must apply the values fails loudly',
    async (how) => {
      await deploy();
      h.ros.noEchoOnlyChange = 'same-stack';
      h.ros.noChangeBehaviour = how;
      const err = await deploy({ parameters: rotated, requireParametersApplied: true }).catch((error: unknown) => error);
      expect(err).toBeInstanceOf(RosDeployError);
      expect((err as RosDeployError).reason).toBe('parameters-not-applied');
      expect((err as Error).message).toContain('still runs with its previous values');
      expect((err as Error).message).not.toContain(rotated.S3SecretKey);
      expect(h.ros.stackByName(STACK)?.parameters.S3SecretKey).toBe(SECRET_KEY);
    },
  );

  test('reported as a Modify: updated and applied', async () => {
    await deploy();
    h.ros.noEchoOnlyChange = 'modify';
    const res = await deploy({ parameters: rotated, requireParametersApplied: true });
    expect(res).toMatchObject({ action: 'updated', parameters: 'applied' });
    expect(res.changes.map((change) => change.logicalId)).toEqual(['CdnFunctions']);
  });
});

describe('a refused confirmation leaves nothing behind, and the next run goes on', () => {
  const refuse = async (_preview: RosChangePreview): Promise<boolean> => {
    throw new S3AlicdnError('NOT_CONFIRMED', 'there is no terminal to ask on');
  };

  test('first deploy: the CREATE change set and its REVIEW_IN_PROGRESS stack are deleted; the next run creates', async () => {
    await expect(deploy({ confirm: refuse })).rejects.toThrow('there is no terminal to ask on');
    expect(h.ros.stackByName(STACK)).toBeUndefined();
    const res = await deploy();
    expect(res.action).toBe('created');
  });

  test('update: the UPDATE change set is deleted; the next run updates', async () => {
    await deploy();
    await expect(deploy({ templateBody: cdnTemplate({ dnsTtl: 300 }), confirm: refuse })).rejects.toThrow('there is no terminal');
    expect(h.ros.changeSetsOf(STACK).filter((changeSet) => changeSet.type === 'UPDATE')).toEqual([]);
    expect(h.ros.stackByName(STACK)?.status).toBe('CREATE_COMPLETE');
    const res = await deploy({ templateBody: cdnTemplate({ dnsTtl: 300 }) });
    expect(res.action).toBe('updated');
  });
});

describe('overall timeout', () => {
  test('a stuck update ends at the overall timeout with the state it left', async () => {
    await deploy();
    h.ros.setStuck(STACK, true);
    const err = await deploy({ templateBody: cdnTemplate({ dnsTtl: 300 }) }, { overallTimeoutMs: 120_000 }).catch(
      (error: unknown) => error,
    );
    expect(err).toBeInstanceOf(RosDeployError);
    expect((err as RosDeployError).reason).toBe('timed-out');
    expect((err as Error).message).toMatch(
      /is still UPDATE_IN_PROGRESS after waiting \d+s \(the overall --timeout of 120s ran out\); the operation goes on in ROS/,
    );
  });

  test('a deployment whose overall timeout has already run out changes nothing', async () => {
    const deployment = h.deployment({ overallTimeoutMs: 1000 });
    await h.common.clock!.sleep(2000);
    const err = await deployment
      .deploy({ stackName: STACK, templateBody: cdnTemplate(), parameters: PARAMS, confirm: async () => true })
      .catch((error: unknown) => error);
    expect((err as RosDeployError).reason).toBe('timed-out');
    expect(h.server.callCount()).toBe(0);
  });
});

describe('at most 20 change sets per stack', () => {
  test('leftover change sets of interrupted diffs are cleared to make room; others are kept', async () => {
    await deploy();
    // The executed CREATE change set, 18 diffs whose clean-up failed, and one change set made by hand: 20.
    h.server.scheduleFault('DeleteChangeSet', { kind: 'server-error', httpStatus: 503 }, Infinity);
    for (let ttl = 1; ttl <= 18; ttl++) {
      await h.deployment().preview({ stackName: STACK, templateBody: cdnTemplate({ dnsTtl: 100 + ttl }), parameters: PARAMS });
    }
    h.server.clearFaults();
    const stackId = h.ros.stackByName(STACK)!.stackId;
    await h.client.createChangeSet(
      new $ROS.CreateChangeSetRequest({
        regionId: 'cn-hangzhou',
        stackId,
        changeSetName: 'by-hand',
        changeSetType: 'UPDATE',
        templateBody: cdnTemplate({ dnsTtl: 77 }),
        parameters: Object.entries(PARAMS).map(
          ([parameterKey, parameterValue]) => new $ROS.CreateChangeSetRequestParameters({ parameterKey, parameterValue }),
        ),
      }),
    );
    expect(h.ros.changeSetsOf(STACK)).toHaveLength(20);

    const res = await deploy({ templateBody: cdnTemplate({ dnsTtl: 300 }), confirm: async () => false });
    expect(res.action).toBe('cancelled');
    expect(h.ros.changeSetsOf(STACK).map((changeSet) => changeSet.changeSetName)).toEqual(['by-hand']);
  });
});
