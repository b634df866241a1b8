import { AlibabaApiError, type RetryPolicy, systemClock, withRetry } from '../alibaba-api/api-call';
import { S3AlicdnError } from '../errors';
import type { CdnApi, CdnConnection, RefreshQuota, RefreshTask } from './cdn-sdk';

export type { CdnApi, CdnConnection, RefreshQuota, RefreshTask, RefreshTaskStatus } from './cdn-sdk';

/**
 * Refresh and prefetch through the official CDN SDK (API 2018-05-10). Limits from the RefreshObjectCaches,
 * DescribeRefreshQuota, DescribeRefreshTaskById and PushObjectCache API references:
 * - RefreshObjectCaches: one domain per call; paths newline-separated, each at most 1,024 characters; at most 1,000
 *   URLs or 100 directories per call; 1,000 URLs per minute per domain; 10,000 URLs and 100 directories per day by
 *   default (reset 00:00 UTC+8); 50 calls per second. A refresh takes 5-6 minutes to apply.
 * - DescribeRefreshTaskById: at most 10 task ids per call; statuses Complete, Pending, Refreshing, Failed.
 * - PushObjectCache: at most 100 URLs per call, 1,000 per day by default; Area domestic or overseas.
 * Documented errors: QuotaExceeded.Refresh (daily quota), QuotaPerMinuteExceeded.Refresh, TooMany.Refresh (refresh
 * queue full), SingleRequest.OverLimit, InvalidObjectPath.Malformed, PreloadQueueFull (HTTP 403), Throttling.
 */
export const REFRESH_LIMITS = {
  urlsPerCall: 1000,
  directoriesPerCall: 100,
  urlsPerMinutePerDomain: 1000,
  pathCharacters: 1024,
  taskIdsPerDescribe: 10,
  prefetchPerCall: 100,
} as const;

export interface CdnApiOptions extends CdnConnection {
  /** Retries of throttling, 5xx, resets and timeouts (lib/alibaba-api). @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
  /** Wait after QuotaPerMinuteExceeded.Refresh or TooMany.Refresh before the one retry. @default 61000 */
  readonly minuteWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source for retries. @default Math.random */
  readonly random?: () => number;
}

/** The per-minute refresh limit, and a full refresh queue: waiting out the minute once is the documented remedy. */
const WAIT_A_MINUTE = new Set(['QuotaPerMinuteExceeded.Refresh', 'TooMany.Refresh']);

/**
 * One CDN call with the retries every Alibaba call gets (throttling, 5xx, resets and timeouts, with jitter), and on top
 * the one wait a refresh limit per minute calls for.
 */
async function withRetries<T>(action: string, call: () => Promise<T>, options: CdnApiOptions): Promise<T> {
  const sleep = options.sleep ?? systemClock.sleep;
  let minuteWaited = false;
  for (;;) {
    try {
      return await withRetry({ service: 'CDN', action }, call, { policy: options.retry, clock: { sleep }, random: options.random });
    } catch (error) {
      if (error instanceof AlibabaApiError && WAIT_A_MINUTE.has(error.apiCode) && !minuteWaited) {
        minuteWaited = true;
        await sleep(options.minuteWaitMs ?? 61_000);
        continue;
      }
      throw withHint(error);
    }
  }
}

const PERMISSIONS_HINT =
  'the Alibaba identity needs cdn:RefreshObjectCaches, cdn:DescribeRefreshQuota, cdn:DescribeRefreshTaskById and cdn:PushObjectCache';
const HINTS: Readonly<Record<string, string>> = {
  'QuotaExceeded.Refresh':
    'the daily refresh quota is used up (it resets at 00:00 UTC+8); the files are uploaded, refresh them tomorrow or raise the quota',
  'InvalidDomain.NotFound': 'the CDN domain is not on this Alibaba Cloud account; check the credentials and that the stage is deployed',
  Forbidden: PERMISSIONS_HINT,
  'Forbidden.RAM': PERMISSIONS_HINT,
};

/** The API error (service, action, code, message; never the request) with what to do about it, when known. */
function withHint(error: unknown): unknown {
  if (!(error instanceof AlibabaApiError)) return error;
  const hint = HINTS[error.apiCode];
  return hint ? new S3AlicdnError('CLOUD_API', `${error.message}; ${hint}`, { cause: error }) : error;
}

/**
 * The CDN API over the official SDK. The SDK (and its dependencies) is loaded on the first call, not here: a publish
 * that changes nothing makes no CDN call, and loading it costs about 0.3 s of start-up.
 */
export function createCdnApi(options: CdnApiOptions = {}): CdnApi {
  let calls: Promise<CdnApi> | undefined;
  const sdk = () => (calls ??= import('./cdn-sdk').then((module) => module.cdnSdkCalls(options)));
  return {
    quota: () => withRetries('DescribeRefreshQuota', async () => (await sdk()).quota(), options),
    refresh: (paths, type) => withRetries('RefreshObjectCaches', async () => (await sdk()).refresh(paths, type), options),
    tasks: (taskIds) => withRetries('DescribeRefreshTaskById', async () => (await sdk()).tasks(taskIds), options),
    prefetch: (paths, area) => withRetries('PushObjectCache', async () => (await sdk()).prefetch(paths, area), options),
  };
}

export interface RefreshPlan {
  /** URLs refreshed one by one (ObjectType File), in calls of at most 1,000. */
  readonly urls: readonly string[];
  /** Directories refreshed whole (ObjectType Directory), when the URLs would not fit the quota or the minute limit. */
  readonly directories: readonly string[];
  /** Why directories are used, for the summary. */
  readonly reason?: string;
}

/** The deepest directory URL that contains every one of the URLs (they all share the site's origin). */
export function commonDirectory(urls: readonly string[]): string {
  const dirs = urls.map((url) => url.slice(0, url.lastIndexOf('/') + 1));
  let common = dirs[0];
  for (const dir of dirs.slice(1)) {
    while (!dir.startsWith(common)) common = common.slice(0, common.slice(0, -1).lastIndexOf('/') + 1);
  }
  return common;
}

/**
 * Decides how to refresh `urls` (plus any `directories` already required) within the quota left today, or fails
 * before anything is uploaded. URLs are used while they fit one call and the per-domain minute limit; beyond that,
 * or beyond the URL quota, the one directory containing them all is refreshed instead.
 */
export function planRefresh(urls: readonly string[], directories: readonly string[], quota: RefreshQuota, domain: string): RefreshPlan {
  const uniqueUrls = [...new Set(urls)];
  const wantedDirs = [...new Set(directories)];
  // A URL inside a directory being refreshed needs no refresh of its own; over-long paths fall back to their folder.
  let fileUrls = uniqueUrls.filter((url) => !wantedDirs.some((dir) => url.startsWith(dir)));
  for (const url of fileUrls.filter((candidate) => candidate.length > REFRESH_LIMITS.pathCharacters)) {
    wantedDirs.push(url.slice(0, url.lastIndexOf('/') + 1));
  }
  fileUrls = fileUrls.filter((url) => url.length <= REFRESH_LIMITS.pathCharacters);
  let reason: string | undefined;
  const urlLimit = Math.min(quota.urlRemain, REFRESH_LIMITS.urlsPerMinutePerDomain);
  if (fileUrls.length > urlLimit) {
    reason =
      fileUrls.length > quota.urlRemain
        ? `${fileUrls.length} URLs exceed the ${quota.urlRemain} URL refreshes left today`
        : `${fileUrls.length} URLs exceed the ${REFRESH_LIMITS.urlsPerMinutePerDomain} URLs a domain may refresh per minute`;
    wantedDirs.push(commonDirectory(fileUrls));
    fileUrls = [];
  }
  const dirs = [...new Set(wantedDirs)].filter((dir, _index, all) => !all.some((other) => other !== dir && dir.startsWith(other)));
  if (dirs.length > quota.dirRemain) {
    throw new S3AlicdnError(
      'PREFLIGHT_FAILED',
      `${domain}: the CDN refresh would exceed today's quota: it needs ${dirs.length} directory refresh(es)${reason ? ` (${reason})` : ''} but ${quota.dirRemain} are left ` +
        `(DescribeRefreshQuota; the daily quotas reset at 00:00 UTC+8). Nothing was uploaded. Publish fewer changes, wait for the reset, or ask Alibaba Cloud for a higher quota.`,
    );
  }
  return { urls: fileUrls, directories: dirs, reason };
}

/** Submits the plan; returns the task ids. */
export async function submitRefresh(cdn: CdnApi, plan: RefreshPlan): Promise<string[]> {
  const taskIds: string[] = [];
  for (let start = 0; start < plan.directories.length; start += REFRESH_LIMITS.directoriesPerCall) {
    taskIds.push(...(await cdn.refresh(plan.directories.slice(start, start + REFRESH_LIMITS.directoriesPerCall), 'Directory')));
  }
  for (let start = 0; start < plan.urls.length; start += REFRESH_LIMITS.urlsPerCall) {
    taskIds.push(...(await cdn.refresh(plan.urls.slice(start, start + REFRESH_LIMITS.urlsPerCall), 'File')));
  }
  return taskIds;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** Polls the tasks until every one is Complete; a Failed task or the timeout is an error naming the tasks. */
export async function waitForTasks(cdn: CdnApi, taskIds: readonly string[], options: WaitOptions): Promise<RefreshTask[]> {
  const sleep = options.sleep ?? systemClock.sleep;
  const now = options.now ?? systemClock.now;
  const deadline = now() + options.timeoutMs;
  // Start with short polls (a small refresh can finish early) and back off to pollMs.
  let delay = Math.min(1000, options.pollMs);
  for (;;) {
    const tasks: RefreshTask[] = [];
    for (let start = 0; start < taskIds.length; start += REFRESH_LIMITS.taskIdsPerDescribe) {
      tasks.push(...(await cdn.tasks(taskIds.slice(start, start + REFRESH_LIMITS.taskIdsPerDescribe))));
    }
    const failed = tasks.filter((task) => task.status === 'Failed');
    if (failed.length > 0) {
      throw new S3AlicdnError(
        'CLOUD_API',
        `CDN refresh task(s) failed: ${failed.map((task) => `${task.taskId} (${task.objectPath})`).join(', ')}; the files are uploaded, submit the refresh again or refresh them in the CDN console`,
      );
    }
    const seen = new Set(tasks.map((task) => task.taskId));
    if (taskIds.every((id) => seen.has(id)) && tasks.every((task) => task.status === 'Complete')) return tasks;
    if (now() >= deadline) {
      const open = tasks.filter((task) => task.status !== 'Complete').map((task) => `${task.taskId} ${task.status}`);
      throw new S3AlicdnError(
        'CLOUD_API',
        `CDN refresh not complete after ${Math.round(options.timeoutMs / 1000)} s (${open.join(', ') || 'tasks not listed yet'}); the files are uploaded and the refresh is still running`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, options.pollMs);
  }
}
