import * as $ROS from '@alicloud/ros20190910';
import { RosDeployError } from '../../../lib/deploy/ros/ros-client';
import type { RosDeploymentOptions } from '../../../lib/deploy/ros/ros-deployment';
import { cdnTemplate, PARAMS } from './cdn-template-fixture';
import { type RosHarness, useRosHarness } from '../../doubles/ros-harness';

let h: RosHarness;
useRosHarness((harness) => (h = harness));

const ICP = 'The domain test.test.com has not completed ICP filing.';

function deploy(extra: Partial<RosDeploymentOptions> = {}, template = cdnTemplate()) {
  return h.deployment(extra).deploy({ stackName: 'cdn-fail', templateBody: template, parameters: PARAMS, confirm: async () => true });
}

async function deployError(extra: Partial<RosDeploymentOptions> = {}, template = cdnTemplate()): Promise<RosDeployError> {
  const err = await deploy(extra, template).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(RosDeployError);
  return err as RosDeployError;
}

test('a resource that fails to create rolls the stack back; the error names stack, resource, reason and next step', async () => {
  h.ros.failResource('CdnDomain', ICP);
  const err = await deployError({ hints: { recreateFailedStack: '--recreate-failed-stack', destroyCommand: 'npm run destroy' } });

  expect(err.reason).toBe('operation-failed');
  expect(err.stackStatus).toBe('CREATE_ROLLBACK_COMPLETE');
  expect(err.failedResources).toEqual([
    { logicalId: 'CdnDomain', resourceType: 'ALIYUN::CDN::Domain', status: 'CREATE_FAILED', statusReason: ICP },
  ]);
  expect(err.message.split('\n')).toEqual([
    `ROS stack 'cdn-fail' failed to create: final status CREATE_ROLLBACK_COMPLETE (Resource CREATE failed: CdnDomain: ${ICP}).`,
    'Failed resources:',
    `  - CdnDomain (ALIYUN::CDN::Domain) CREATE_FAILED: ${ICP}`,
    'How to go on: A stack whose first create failed cannot be updated. Fix the cause above, then delete the stack (npm run destroy) and deploy again, or deploy again with --recreate-failed-stack to delete it first.',
  ]);
  expect(h.logs).toContain(`[1/3] CREATE_FAILED CdnDomain (ALIYUN::CDN::Domain) ${ICP}`);
});

test('a stack left in CREATE_ROLLBACK_COMPLETE is refused with the way out, or recreated when asked', async () => {
  h.ros.failResource('CdnDomain', ICP);
  await deployError();

  const refused = await deployError();
  expect(refused.reason).toBe('stack-not-updatable');
  expect(refused.message).toMatch(
    /^ROS stack 'cdn-fail' is CREATE_ROLLBACK_COMPLETE \(Resource CREATE failed: CdnDomain: .*\)\. A stack whose first create failed cannot be updated\./,
  );

  const res = await deploy({ recreateFailedStack: true });
  expect(res.action).toBe('created');
  expect(h.logs).toContain("ROS stack 'cdn-fail' is CREATE_ROLLBACK_COMPLETE; deleting it before creating it again");
  expect(h.ros.stackByName('cdn-fail')?.status).toBe('CREATE_COMPLETE');
});

test('a failed update rolls back to the previous version; the next deploy updates from ROLLBACK_COMPLETE', async () => {
  await deploy();
  h.ros.failResource('DnsRecord', 'Record TTL 1 is below the minimum TTL of this DNS edition.', 'update');
  const err = await deployError({}, cdnTemplate({ dnsTtl: 1 }));
  expect(err.stackStatus).toBe('ROLLBACK_COMPLETE');
  expect(err.message).toContain(
    '  - DnsRecord (ALIYUN::DNS::DomainRecord) UPDATE_FAILED: Record TTL 1 is below the minimum TTL of this DNS edition.',
  );
  expect(err.message).toContain(
    'How to go on: The update was rolled back; the stack keeps its previous version. Fix the cause above and deploy again.',
  );
  expect(h.ros.stackByName('cdn-fail')?.resources.get('DnsRecord')?.props.TTL).toBe(600);

  const res = await deploy({}, cdnTemplate({ dnsTtl: 300 }));
  expect(res.action).toBe('updated');
  expect(h.logs).toContain("ROS stack 'cdn-fail' is ROLLBACK_COMPLETE: its last update did not apply; this deploy updates it again");
});

test('a stack held in progress by another run is waited for, boundedly, then refused with a clear message', async () => {
  h.ros.setStuck('cdn-fail', true);
  await h.client.createStack(
    new $ROS.CreateStackRequest({
      regionId: 'cn-hangzhou',
      stackName: 'cdn-fail',
      templateBody: cdnTemplate(),
      parameters: Object.entries(PARAMS).map(
        ([parameterKey, parameterValue]) => new $ROS.CreateStackRequestParameters({ parameterKey, parameterValue }),
      ),
    }),
  );
  const err = await deployError({ waitForInProgressMs: 60_000 });
  expect(err.reason).toBe('stack-busy');
  expect(err.message).toBe(
    "ROS stack 'cdn-fail' is CREATE_IN_PROGRESS: another operation is running on it (another deploy, or an earlier run that was interrupted); waited 60s. Run the command again when it has finished; to stop it, cancel the operation in the ROS console.",
  );
  // Bounded: with backoff to 5 s, a 60 s wait is a handful of polls, not a tight loop.
  expect(h.server.callCount('GetStack')).toBeLessThanOrEqual(20);

  const refusedAtOnce = await deployError({ waitForInProgressMs: 0 });
  expect(refusedAtOnce.message).toMatch(
    /^ROS stack 'cdn-fail' is CREATE_IN_PROGRESS: another operation is running on it .*\. Run the command again/,
  );
});

test('an own operation that never finishes ends with a timed-out error after maxWaitMs', async () => {
  h.ros.setStuck('cdn-fail', true);
  const err = await deployError({ maxWaitMs: 120_000 });
  expect(err.reason).toBe('timed-out');
  expect(err.message).toBe(
    "ROS stack 'cdn-fail' is still CREATE_IN_PROGRESS after waiting 120s; the operation goes on in ROS. Run deploy again to keep waiting and finish, or follow the stack in the ROS console.",
  );
});

test('a change set ROS rejects is cleaned up (with its empty REVIEW stack) and reported', async () => {
  h.ros.changeSetFailureReason = 'Template validation failed: resource type ALIYUN::CDN::Domain property Scope value "moon" is invalid.';
  const err = await deployError();
  expect(err.reason).toBe('change-set-failed');
  expect(err.message).toBe(
    'ROS stack \'cdn-fail\': the CREATE change set failed, status CREATE_FAILED: Template validation failed: resource type ALIYUN::CDN::Domain property Scope value "moon" is invalid.. Nothing was changed; fix the template or parameters and deploy again.',
  );
  expect(h.ros.stackByName('cdn-fail')).toBeUndefined();
});
