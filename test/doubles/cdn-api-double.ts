/**
 * TEST DOUBLE: the refresh and prefetch slice of Alibaba Cloud CDN (API 2018-05-10) on the RPC test double, as the
 * official @alicloud/cdn20180510 SDK calls it. Documented behaviour modelled here, with its source:
 * - RefreshObjectCaches (API reference "RefreshObjectCaches" and the quota page "Refresh and prefetch"): ObjectPath
 *   newline-separated, each at most 1,024 characters, all of one accelerated domain; ObjectType File (default),
 *   Directory, Regex or IgnoreParams; per call at most 1,000 URLs or 100 directories (SingleRequest.OverLimit);
 *   per day 10,000 URLs and 100 directories (QuotaExceeded.Refresh); 1,000 URLs per minute per domain
 *   (QuotaPerMinuteExceeded.Refresh); malformed paths InvalidObjectPath.Malformed; a domain not on the account
 *   InvalidDomain.NotFound. Error codes and messages from the RefreshDcdnObjectCaches/PushObjectCache error tables.
 * - Tasks are asynchronous: a refresh "takes 5-6 minutes to apply", so a new task is Pending, then Refreshing, then
 *   Complete, one step per DescribeRefreshTaskById that lists it (steps configurable); one can be made to fail.
 * - DescribeRefreshTaskById: at most 10 task ids per call. The error for more is not documented; 400
 *   InvalidTaskId.Malformed stands in.
 * - DescribeRefreshQuota: the quotas and what is left today, as strings (UrlQuota/UrlRemain, DirQuota/DirRemain, ...).
 * - PushObjectCache: at most 100 URLs per call, 1,000 per day (QuotaExceeded.Refresh, as its error table says);
 *   PreloadQueueFull (HTTP 403) can be injected.
 * Throttling and 5xx come from the RPC double's fault injection (`scheduleFault`).
 */
import { AlibabaRpcError, type AlibabaRpcServerTestDouble } from './alibaba-rpc-server';

const VERSION = '2018-05-10';

export interface RefreshTaskRecord {
  readonly taskId: string;
  readonly objectType: string;
  readonly paths: readonly string[];
  polls: number;
  failing: boolean;
}

export interface CdnQuotas {
  url: number;
  dir: number;
  preload: number;
}

export class CdnApiTestDouble {
  readonly domains = new Set<string>();
  readonly tasks: RefreshTaskRecord[] = [];
  readonly prefetched: string[][] = [];
  readonly quota: CdnQuotas = { url: 10_000, dir: 100, preload: 1_000 };
  readonly used: CdnQuotas = { url: 0, dir: 0, preload: 0 };
  /** DescribeRefreshTaskById calls that list a task before it reads Complete (Pending, Refreshing, ..., Complete). */
  pollsToComplete = 2;
  /** Models another client spending the day's quota right after the next DescribeRefreshQuota answers. */
  exhaustQuotaAfterNextCheck = false;
  private failNext = 0;
  private preloadQueueFull = false;
  private nextTaskId = 17_000_000_000;
  private readonly urlsThisMinute = new Map<string, number>();

  constructor(server: AlibabaRpcServerTestDouble) {
    server.handle('DescribeRefreshQuota', () => this.quotaAnswer(), VERSION);
    server.handle(
      'RefreshObjectCaches',
      (params) => {
        const type = params.ObjectType ?? 'File';
        if (!['File', 'Directory', 'Regex', 'IgnoreParams'].includes(type))
          throw new AlibabaRpcError(400, 'InvalidObjectType.Malformed', 'The specified ObjectType is invalid.');
        const paths = this.paths(params.ObjectPath);
        const directory = type === 'Directory';
        const perCall = directory ? 100 : 1000;
        if (paths.length > perCall)
          throw new AlibabaRpcError(
            400,
            'SingleRequest.OverLimit',
            `A maximum of ${perCall} ${directory ? 'directories' : 'URLs'} are supported for each request.`,
          );
        if (directory && paths.some((path) => !path.endsWith('/')))
          throw new AlibabaRpcError(400, 'InvalidObjectPath.Malformed', 'The specified ObjectPath is invalid.');
        const bucket = directory ? 'dir' : 'url';
        if (this.used[bucket] + paths.length > this.quota[bucket])
          throw new AlibabaRpcError(400, 'QuotaExceeded.Refresh', 'Your refresh attempts have exceeded the daily limit.');
        if (!directory) {
          const domain = hostOf(paths[0]);
          const minute = this.urlsThisMinute.get(domain) ?? 0;
          if (minute + paths.length > 1000)
            throw new AlibabaRpcError(
              400,
              'QuotaPerMinuteExceeded.Refresh',
              'You tried to refresh too frequently; please try again later.',
            );
          this.urlsThisMinute.set(domain, minute + paths.length);
        }
        this.used[bucket] += paths.length;
        const task: RefreshTaskRecord = {
          taskId: String(this.nextTaskId++),
          objectType: type,
          paths,
          polls: 0,
          failing: this.failNext > 0,
        };
        if (this.failNext > 0) this.failNext -= 1;
        this.tasks.push(task);
        return { RefreshTaskId: task.taskId };
      },
      VERSION,
    );

    server.handle(
      'DescribeRefreshTaskById',
      (params) => {
        const ids = (params.TaskId ?? '').split(',').filter(Boolean);
        if (ids.length === 0 || ids.length > 10)
          throw new AlibabaRpcError(400, 'InvalidTaskId.Malformed', 'Specify 1 to 10 task IDs separated by commas.');
        const listed = this.tasks.filter((task) => ids.includes(task.taskId));
        for (const task of listed) task.polls += 1;
        const tasks = listed.flatMap((task) =>
          task.paths.map((path) => ({
            TaskId: task.taskId,
            ObjectPath: path,
            ObjectType: task.objectType.toLowerCase(),
            Status: this.statusOf(task),
            Process: this.statusOf(task) === 'Complete' ? '100%' : '0%',
            CreationTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          })),
        );
        return { Tasks: tasks, TotalCount: tasks.length };
      },
      VERSION,
    );

    server.handle(
      'PushObjectCache',
      (params) => {
        const paths = this.paths(params.ObjectPath);
        if (paths.length > 100)
          throw new AlibabaRpcError(400, 'InvalidObjectPath.Size.Malformed', 'The size of ObjectPath is bigger than 100.');
        if (this.preloadQueueFull) throw new AlibabaRpcError(403, 'PreloadQueueFull', 'Preload queue is full, please try again later!');
        if (this.used.preload + paths.length > this.quota.preload)
          throw new AlibabaRpcError(400, 'QuotaExceeded.Refresh', "You've exceeded the prescribed refresh limits.");
        this.used.preload += paths.length;
        this.prefetched.push(paths);
        return { PushTaskId: String(this.nextTaskId++) };
      },
      VERSION,
    );
  }

  private quotaAnswer(): Record<string, unknown> {
    const answer = {
      UrlQuota: String(this.quota.url),
      UrlRemain: String(this.quota.url - this.used.url),
      DirQuota: String(this.quota.dir),
      DirRemain: String(this.quota.dir - this.used.dir),
      PreloadQuota: String(this.quota.preload),
      PreloadRemain: String(this.quota.preload - this.used.preload),
      RegexQuota: '20',
      RegexRemain: '20',
      BlockQuota: '100',
      BlockRemain: '100',
      IgnoreParamsQuota: '10',
      IgnoreParamsRemain: '10',
    };
    if (this.exhaustQuotaAfterNextCheck) {
      this.exhaustQuotaAfterNextCheck = false;
      this.used.url = this.quota.url;
      this.used.dir = this.quota.dir;
    }
    return answer;
  }

  addDomain(domain: string): this {
    this.domains.add(domain);
    return this;
  }

  /** The next `times` refresh tasks end Failed instead of Complete. */
  failNextTasks(times = 1): void {
    this.failNext += times;
  }

  setPreloadQueueFull(full: boolean): void {
    this.preloadQueueFull = full;
  }

  /** A new minute: the per-domain URL counter starts again. */
  nextMinute(): void {
    this.urlsThisMinute.clear();
  }

  refreshedUrls(): string[] {
    return this.tasks.filter((task) => task.objectType === 'File').flatMap((task) => task.paths);
  }

  refreshedDirectories(): string[] {
    return this.tasks.filter((task) => task.objectType === 'Directory').flatMap((task) => task.paths);
  }

  private statusOf(task: RefreshTaskRecord): string {
    if (task.polls >= this.pollsToComplete) return task.failing ? 'Failed' : 'Complete';
    return task.polls <= 1 ? 'Pending' : 'Refreshing';
  }

  private paths(objectPath: string | undefined): string[] {
    const paths = (objectPath ?? '').split(/\r?\n/).filter(Boolean);
    if (paths.length === 0)
      throw new AlibabaRpcError(
        400,
        'MissingParameter',
        'The input parameter "ObjectPath" that is mandatory for processing this request is not supplied.',
      );
    for (const path of paths) {
      if (path.length > 1024 || !/^(https?:\/\/)?[a-z0-9.-]+(:\d+)?\//.test(path))
        throw new AlibabaRpcError(400, 'InvalidObjectPath.Malformed', 'The specified ObjectPath is invalid.');
      if (!this.domains.has(hostOf(path)))
        throw new AlibabaRpcError(404, 'InvalidDomain.NotFound', 'The domain provided does not belong to you.');
    }
    if (new Set(paths.map(hostOf)).size > 1)
      throw new AlibabaRpcError(400, 'InvalidObjectPath.Malformed', 'The URLs in a request must belong to the same domain name.');
    return paths;
  }
}

function hostOf(path: string): string {
  return path
    .replace(/^https?:\/\//, '')
    .split('/')[0]
    .split(':')[0];
}
