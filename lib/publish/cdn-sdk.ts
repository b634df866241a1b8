import type Credential from '@alicloud/credentials';
import CdnClient, * as $CDN from '@alicloud/cdn20180510';
import { buildAlibabaClientConfig } from '../alibaba-api/client-config';

/**
 * The official CDN SDK (API 2018-05-10), called once per operation. Kept apart from cdn-refresh.ts, which loads it
 * on the first call (retries, limits and planning live there): the SDK and what it pulls in (request, XML and proxy
 * libraries) take about 0.3 s to load, which a publish that refreshes nothing does not need to pay.
 */
export interface RefreshQuota {
  readonly urlRemain: number;
  readonly dirRemain: number;
  readonly preloadRemain: number;
}

export type RefreshTaskStatus = 'Complete' | 'Pending' | 'Refreshing' | 'Failed';

export interface RefreshTask {
  readonly taskId: string;
  readonly status: RefreshTaskStatus | string;
  readonly objectPath: string;
}

/** The CDN operations publish uses; the real one wraps the SDK, so tests run it against the RPC test double. */
export interface CdnApi {
  quota(): Promise<RefreshQuota>;
  refresh(paths: readonly string[], type: 'File' | 'Directory'): Promise<string[]>;
  tasks(taskIds: readonly string[]): Promise<RefreshTask[]>;
  prefetch(paths: readonly string[], area: 'domestic' | 'overseas' | undefined): Promise<string[]>;
}

/** Where the CDN API is and who calls it. */
export interface CdnConnection {
  /** Host[:port] instead of cdn.aliyuncs.com, e.g. a local test double. */
  readonly endpoint?: string;
  readonly protocol?: 'HTTPS' | 'HTTP';
  readonly credential?: Credential;
}

const count = (value: string | undefined) => {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
};

/** One SDK call per operation, no retries (cdn-refresh.ts adds them). */
export function cdnSdkCalls(connection: CdnConnection): CdnApi {
  const client = new CdnClient(
    buildAlibabaClientConfig({
      // The CDN API is global: one endpoint whatever region the stacks live in; the region only signs the request.
      regionId: 'cn-hangzhou',
      endpoint: connection.endpoint ?? 'cdn.aliyuncs.com',
      protocol: connection.protocol,
      credential: connection.credential,
      readTimeoutMs: 15_000,
    }),
  );
  return {
    quota: async () => {
      const body = (await client.describeRefreshQuota(new $CDN.DescribeRefreshQuotaRequest({}))).body;
      return { urlRemain: count(body?.urlRemain), dirRemain: count(body?.dirRemain), preloadRemain: count(body?.preloadRemain) };
    },
    refresh: async (paths, type) => {
      const body = (
        await client.refreshObjectCaches(new $CDN.RefreshObjectCachesRequest({ objectPath: paths.join('\n'), objectType: type }))
      ).body;
      return (body?.refreshTaskId ?? '').split(',').filter(Boolean);
    },
    tasks: async (taskIds) => {
      const body = (await client.describeRefreshTaskById(new $CDN.DescribeRefreshTaskByIdRequest({ taskId: taskIds.join(',') }))).body;
      return (body?.tasks ?? []).map((task) => ({
        taskId: task.taskId ?? '',
        status: task.status ?? '',
        objectPath: task.objectPath ?? '',
      }));
    },
    prefetch: async (paths, area) => {
      const body = (await client.pushObjectCache(new $CDN.PushObjectCacheRequest({ objectPath: paths.join('\n'), area }))).body;
      return (body?.pushTaskId ?? '').split(',').filter(Boolean);
    },
  };
}
