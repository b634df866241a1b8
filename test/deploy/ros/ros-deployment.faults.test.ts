import { AlibabaApiError } from '../../../lib/alibaba-api';
import { AlibabaRpcError } from '../../doubles/alibaba-rpc-server';
import { cdnTemplate, PARAMS } from './cdn-template-fixture';
import { type RosHarness, useRosHarness } from '../../doubles/ros-harness';

let h: RosHarness;
useRosHarness((harness) => (h = harness), { readTimeoutMs: 150 });

function deploy(stackName = 'cdn-faults') {
  return h.deployment().deploy({ stackName, templateBody: cdnTemplate(), parameters: PARAMS, confirm: async () => true });
}

function faultsSeen(action: string) {
  return h.server.calls.filter((call) => call.action === action && call.fault).map((call) => call.fault);
}

test('throttling is retried with backoff, then the deploy succeeds', async () => {
  h.server.scheduleFault('CreateChangeSet', { kind: 'throttle' }, 1);
  h.server.scheduleFault('GetStack', { kind: 'throttle', httpStatus: 429, code: 'Throttling' }, 2);
  const res = await deploy();
  expect(res.action).toBe('created');
  expect(faultsSeen('CreateChangeSet')).toEqual(['throttle']);
  expect(faultsSeen('GetStack')).toEqual(['throttle', 'throttle']);
  expect(h.logs.filter((line) => /throttled failure, retrying/.test(line))).toHaveLength(3);
  expect(h.ros.changeSetsOf('cdn-faults')).toHaveLength(1);
  expect(res.apiCalls).toBe(h.server.callCount());
});

test.each([500, 503] as const)('HTTP %i is retried, then the deploy succeeds without a second execution', async (status) => {
  h.server.scheduleFault('ExecuteChangeSet', { kind: 'server-error', httpStatus: status }, 1);
  h.server.scheduleFault('ListStackEvents', { kind: 'server-error', httpStatus: status }, 1);
  const res = await deploy();
  expect(res.action).toBe('created');
  expect(faultsSeen('ExecuteChangeSet')).toEqual(['server-error']);
  expect(h.ros.stackByName('cdn-faults')?.status).toBe('CREATE_COMPLETE');
});

test('a connection reset that hides a successful CreateChangeSet does not create a second change set', async () => {
  h.server.scheduleFault('CreateChangeSet', { kind: 'connection-reset', afterHandler: true }, 1);
  h.server.scheduleFault('GetChangeSet', { kind: 'connection-reset' }, 1);
  const res = await deploy();
  expect(res.action).toBe('created');
  expect(h.server.callCount('CreateChangeSet')).toBe(2);
  // Same ClientToken on the retry, so ROS answered with the change set the lost call had made.
  const tokens = h.server.calls.filter((call) => call.action === 'CreateChangeSet').map((call) => call.params.ClientToken);
  expect(new Set(tokens).size).toBe(1);
  expect(h.ros.changeSetsOf('cdn-faults')).toHaveLength(1);
  expect(h.logs.some((line) => /network failure, retrying/.test(line))).toBe(true);
});

test('a slow answer past the read timeout is retried; the ExecuteChangeSet it hid is not run twice', async () => {
  h.server.scheduleFault('ExecuteChangeSet', { kind: 'slow', delayMs: 600 }, 1);
  const res = await deploy();
  expect(res.action).toBe('created');
  expect(h.server.callCount('ExecuteChangeSet')).toBe(2);
  expect(h.logs.some((line) => /ExecuteChangeSet .*timeout failure, retrying/.test(line))).toBe(true);
  // One CREATE_IN_PROGRESS for the stack: executed once.
  expect(h.events.filter((event) => event.isStack && event.status === 'CREATE_IN_PROGRESS')).toHaveLength(1);
});

test('an endpoint that never answers in time fails with an error naming the action, the stack and the code', async () => {
  h.server.scheduleFault('ListStacks', { kind: 'slow', delayMs: 600 }, Infinity);
  const err = await deploy().catch((error: unknown) => error);
  expect(err).toBeInstanceOf(AlibabaApiError);
  expect((err as AlibabaApiError).message).toBe(
    "ROS ListStacks for stack 'cdn-faults' failed after 4 attempts: RequestTimeout: the API endpoint did not answer within the read/connect timeout",
  );
  expect((err as AlibabaApiError).apiCode).toBe('RequestTimeout');
  expect(h.server.callCount('ListStacks')).toBe(4);
});

test('persistent throttling gives up after the bounded attempts with the throttling code', async () => {
  h.server.scheduleFault('ListStacks', { kind: 'throttle' }, Infinity);
  await expect(deploy()).rejects.toThrow(
    "ROS ListStacks for stack 'cdn-faults' failed after 4 attempts: Throttling.User: Request was denied due to user flow control.",
  );
});

test('a non-retryable error passes through at once', async () => {
  h.server.handle('ListStacks', () => {
    throw new AlibabaRpcError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource.');
  });
  const err = (await h
    .deployment()
    .deploy({ stackName: 'cdn-faults', templateBody: cdnTemplate(), parameters: PARAMS, confirm: async () => true })
    .catch((error: unknown) => error)) as AlibabaApiError;
  expect(err.message).toBe(
    "ROS ListStacks for stack 'cdn-faults' failed: Forbidden.RAM: User not authorized to operate on the specified resource.",
  );
  expect(err.statusCode).toBe(403);
  expect(h.server.callCount('ListStacks')).toBe(1);
});
