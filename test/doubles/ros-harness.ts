import Credential from '@alicloud/credentials';
import { createRosClient, type RosClient } from '../../lib/deploy/ros/ros-client';
import { type Clock } from '../../lib/alibaba-api';
import { RosDeployment, type RosDeploymentOptions } from '../../lib/deploy/ros/ros-deployment';
import { type RosProgress, type RosStackEventView } from '../../lib/deploy/ros/stack-events';
import { AlibabaRpcServerTestDouble, type TestCredential } from './alibaba-rpc-server';
import { RosApiTestDouble } from './ros-api-double';

import { trackUnhandledRejections } from '../helpers/unhandled-rejections';

export { trackUnhandledRejections };

export const TEST_CREDENTIAL: TestCredential = { accessKeyId: 'LTAI-test-double-key', accessKeySecret: 'test-double-secret-0123456789' };

/** Virtual time: `sleep` returns at once and moves `now`, so bounded waits end deterministically and fast. */
export function fakeClock(): Clock & { slept: number } {
  const clock = {
    time: 0,
    slept: 0,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
      clock.slept += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return clock;
}

export interface RosHarness {
  readonly server: AlibabaRpcServerTestDouble;
  readonly ros: RosApiTestDouble;
  readonly client: RosClient;
  /** Everything the engine printed, in order: info lines and event lines alike, as a user would see them. */
  readonly logs: string[];
  /** The stack events behind the event lines. */
  readonly events: RosStackEventView[];
  /** Options every deployment in the tests shares: the double, fast virtual-time polling, captured output. */
  readonly common: RosDeploymentOptions & { readonly progress: RosProgress };
  /** A `RosDeployment` with `common`, and `extra` over it. */
  deployment(extra?: Partial<RosDeploymentOptions>): RosDeployment;
  close(): Promise<void>;
}

/** The ROS API test double behind a real `@alicloud/ros20190910` client that signs every request. */
export async function startRosHarness(options: { readTimeoutMs?: number } = {}): Promise<RosHarness> {
  const server = new AlibabaRpcServerTestDouble({ credentials: [TEST_CREDENTIAL], hostId: 'ros.aliyuncs.com' });
  const ros = new RosApiTestDouble(server);
  // These tests are about the ROS engine: the account is past the CDN's first-time ownership check and review (both
  // tested with the stage commands, test/deploy/cdn-domain-first-time.test.ts).
  ros.cdn.pastFirstTimeSetup();
  await server.start();
  const client = createRosClient({
    regionId: 'cn-hangzhou',
    endpoint: server.endpoint,
    protocol: 'HTTP',
    readTimeoutMs: options.readTimeoutMs ?? 2000,
    credential: new Credential({
      type: 'access_key',
      accessKeyId: TEST_CREDENTIAL.accessKeyId,
      accessKeySecret: TEST_CREDENTIAL.accessKeySecret,
    } as never),
  });
  const logs: string[] = [];
  const events: RosStackEventView[] = [];
  const common = {
    client,
    regionId: 'cn-hangzhou',
    progress: {
      info: (line: string) => void logs.push(line),
      event: (line: string, event: RosStackEventView) => {
        logs.push(line);
        events.push(event);
      },
    },
    pollIntervalMs: 1000,
    maxPollIntervalMs: 5000,
    maxWaitMs: 600_000,
    clock: fakeClock(),
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    random: () => 0.5,
  };
  return {
    server,
    ros,
    client,
    logs,
    events,
    common,
    deployment: (extra = {}) => new RosDeployment({ ...common, ...extra }),
    close: () => server.close(),
  };
}

/**
 * The per-test harness every ROS deployment test file uses: a fresh double before each test, closed after it, and no
 * unhandled rejection left behind by the whole file. `assign` receives each test's harness.
 */
export function useRosHarness(assign: (harness: RosHarness) => void, options: { readTimeoutMs?: number } = {}): void {
  const rejections = trackUnhandledRejections();
  let current: RosHarness | undefined;
  beforeEach(async () => {
    current = await startRosHarness(options);
    assign(current);
  });
  afterEach(async () => {
    await current?.close();
  });
  afterAll(() => {
    expect(rejections).toEqual([]);
  });
}
