import { cdnTemplate, PARAMS } from './cdn-template-fixture';
import { type RosHarness, startRosHarness, trackUnhandledRejections } from '../../doubles/ros-harness';

const rejections = trackUnhandledRejections();
let h: RosHarness;
let cutAfter: string | undefined;
beforeEach(async () => {
  h = await startRosHarness();
  cutAfter = undefined;
  // The process "dies" right after `cutAfter` succeeded: from then on no request gets through.
  h.server.onCall((call) => {
    if (call.action === cutAfter && !call.fault) {
      cutAfter = undefined;
      h.server.scheduleFault('*', { kind: 'connection-reset' }, Infinity);
    }
  });
});
afterEach(async () => {
  await h.close();
});
afterAll(() => {
  expect(rejections).toEqual([]);
});

function deploy(template = cdnTemplate()) {
  return h.deployment().deploy({ stackName: 'cdn-resume', templateBody: template, parameters: PARAMS, confirm: async () => true });
}

async function interruptedAfter(action: string, template = cdnTemplate()) {
  cutAfter = action;
  await expect(deploy(template)).rejects.toThrow(/failed after 4 attempts: ECONNRESET/);
  h.server.clearFaults();
  h.server.resetCalls();
}

test('a first deploy interrupted after CreateChangeSet: the re-run executes the change set it left, no duplicate', async () => {
  await interruptedAfter('CreateChangeSet');
  expect(h.ros.stackByName('cdn-resume')?.status).toBe('REVIEW_IN_PROGRESS');

  const res = await deploy();
  expect(res.action).toBe('created');
  expect(h.server.callCount('CreateChangeSet')).toBe(0);
  expect(h.ros.changeSetsOf('cdn-resume')).toEqual([expect.objectContaining({ type: 'CREATE', executionStatus: 'EXECUTE_COMPLETE' })]);
  expect(
    h.logs.some((line) => /REVIEW_IN_PROGRESS with change set deploy-[0-9a-f]{24} from an earlier run; going on with it/.test(line)),
  ).toBe(true);
});

test('an update interrupted after CreateChangeSet: the re-run reuses the change set by name', async () => {
  await deploy();
  await interruptedAfter('CreateChangeSet', cdnTemplate({ dnsTtl: 300 }));

  const res = await deploy(cdnTemplate({ dnsTtl: 300 }));
  expect(res.action).toBe('updated');
  expect(h.logs.some((line) => /reusing UPDATE change set/.test(line))).toBe(true);
  const updates = h.ros.changeSetsOf('cdn-resume').filter((changeSet) => changeSet.type === 'UPDATE');
  expect(updates).toHaveLength(1);
  expect(h.ros.stackByName('cdn-resume')?.resources.get('DnsRecord')?.props.TTL).toBe(300);
});

test('a deploy interrupted after ExecuteChangeSet: the re-run waits for that operation and ends with its outputs', async () => {
  await interruptedAfter('ExecuteChangeSet');
  // ExecuteChangeSet only starts the create (asynchronous): the stack still reads REVIEW_IN_PROGRESS, its change set
  // EXECUTE_IN_PROGRESS. The re-run must wait for that create, not execute or delete anything.
  expect(h.ros.stackByName('cdn-resume')?.status).toBe('REVIEW_IN_PROGRESS');
  expect(h.ros.changeSetsOf('cdn-resume')).toEqual([expect.objectContaining({ executionStatus: 'EXECUTE_IN_PROGRESS' })]);

  const res = await deploy();
  expect(res).toMatchObject({ action: 'no-changes', waitedFor: 'CREATE_COMPLETE' });
  expect(res.outputs.CdnCname).toBe('test.test.com.w.kunlunsl.com');
  expect(h.server.callCount('ExecuteChangeSet')).toBe(0);
  expect(h.ros.stackByName('cdn-resume')?.status).toBe('CREATE_COMPLETE');
  // The re-run streamed the rest of the earlier run's events.
  expect(h.logs.some((line) => /CREATE_COMPLETE DnsRecord/.test(line))).toBe(true);
});

test('a re-run with different content after an interrupted first create replaces the stale REVIEW stack', async () => {
  await interruptedAfter('CreateChangeSet');
  const res = await deploy(cdnTemplate({ extraRecord: true }));
  expect(res.action).toBe('created');
  expect(h.logs).toContain(
    "ROS stack 'cdn-resume' is REVIEW_IN_PROGRESS (a create that was never executed, with other content); deleting the empty stack first",
  );
  expect(h.ros.stackByName('cdn-resume')?.resources.has('WwwRecord')).toBe(true);
});

test('repeated no-op deploys stay no-op: names are reused but ClientTokens are per run', async () => {
  await deploy();
  for (let i = 0; i < 3; i++) expect((await deploy()).action).toBe('no-changes');
  const tokens = h.server.calls.filter((call) => call.action === 'CreateChangeSet').map((call) => call.params.ClientToken);
  expect(new Set(tokens).size).toBe(tokens.length);
});
