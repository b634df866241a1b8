import Credential from '@alicloud/credentials';
import { Clock } from '../../../lib/deploy/alibaba/clock';
import { createRosClient, RosClient } from '../../../lib/deploy/alibaba/ros-client';
import { RosStackEventView } from '../../../lib/deploy/alibaba/ros-event-stream';
import { AlibabaRpcServerTestDouble, TestCredential } from '../../doubles/alibaba-rpc-server';
import { RosApiTestDouble } from '../../doubles/ros-api-double';

export const TEST_CREDENTIAL: TestCredential = { accessKeyId: 'LTAI-test-double-key', accessKeySecret: 'test-double-secret-0123456789' };

/** Virtual time: `sleep` returns at once and moves `now`, so bounded waits end deterministically and fast. */
export function fakeClock(): Clock & { slept: number } {
  const c = {
    t: 0,
    slept: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
      c.slept += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
  return c;
}

export interface RosHarness {
  readonly server: AlibabaRpcServerTestDouble;
  readonly ros: RosApiTestDouble;
  readonly client: RosClient;
  readonly logs: string[];
  readonly events: RosStackEventView[];
  /** Options every deployer call in the tests shares: the double, fast virtual-time polling, captured output. */
  readonly common: {
    client: RosClient; regionId: string; log: (l: string) => void; onEvent: (e: RosStackEventView) => void;
    pollIntervalMs: number; maxPollIntervalMs: number; maxWaitMs: number; clock: Clock;
    retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number }; random: () => number;
  };
  close(): Promise<void>;
}

/** The ROS API test double behind a real `@alicloud/ros20190910` client that signs every request. */
export async function startRosHarness(opts: { readTimeoutMs?: number } = {}): Promise<RosHarness> {
  const server = new AlibabaRpcServerTestDouble({ credentials: [TEST_CREDENTIAL], hostId: 'ros.aliyuncs.com' });
  const ros = new RosApiTestDouble(server);
  await server.start();
  const client = createRosClient({
    regionId: 'cn-hangzhou', endpoint: server.endpoint, protocol: 'HTTP', readTimeoutMs: opts.readTimeoutMs ?? 2000,
    credential: new Credential({ type: 'access_key', accessKeyId: TEST_CREDENTIAL.accessKeyId, accessKeySecret: TEST_CREDENTIAL.accessKeySecret } as never),
  });
  const logs: string[] = [];
  const events: RosStackEventView[] = [];
  return {
    server, ros, client, logs, events,
    common: {
      client, regionId: 'cn-hangzhou', log: (l) => logs.push(l), onEvent: (e) => events.push(e),
      pollIntervalMs: 1000, maxPollIntervalMs: 5000, maxWaitMs: 600_000, clock: fakeClock(),
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, random: () => 0.5,
    },
    close: () => server.close(),
  };
}

/** Collects unhandled promise rejections for the whole file; assert the list is empty at the end. */
export function trackUnhandledRejections(): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  beforeAll(() => { process.on('unhandledRejection', listener); });
  afterAll(() => { process.off('unhandledRejection', listener); });
  return seen;
}
