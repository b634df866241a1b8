import { AlibabaApiError } from './api-error';
import { RosApi, RosStackEvent } from './ros-api';
import { isTerminalEventStatus } from './ros-stack-status';
import { SecretRedactor } from './secret-redactor';

/** A stack event as handed to `onEvent` (status reason already redacted). */
export interface RosStackEventView {
  readonly eventId: string;
  /** ROS time, UTC, `YYYY-MM-DDThh:mm:ss`. */
  readonly time: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly physicalId?: string;
  /** The event is about the stack itself, not one of its resources. */
  readonly isStack: boolean;
}

export interface RosEventStreamOptions {
  readonly stackName: string;
  /** Resources this operation is expected to touch, the `total` of `[n/total]`. */
  readonly totalResources: number;
  /** Server time (e.g. the change set's CreateTime); older events belong to earlier operations. */
  readonly since?: string;
  readonly redactor: SecretRedactor;
  readonly onEvent?: (event: RosStackEventView) => void;
  readonly log?: (line: string) => void;
}

/** ListStackEvents allows at most 50 per page. */
const PAGE_SIZE = 50;
/** Bound on pages read in one poll, so a stack with a huge history cannot turn one poll into hundreds of calls. */
const MAX_PAGES_PER_POLL = 10;
const STACK_RESOURCE_TYPE = 'ALIYUN::ROS::Stack';

/**
 * Streams a stack's new events, cdk style: `[n/total] STATUS LogicalId (Type) reason`.
 * ListStackEvents returns the newest events first, so each poll reads pages until it reaches an event it has
 * already seen (or one older than `since`) and hands the new ones out oldest first.
 */
export class RosEventStream {
  /** Resource failures seen so far (`*_FAILED` on a resource), for the error message. */
  readonly failures: RosStackEventView[] = [];
  private readonly seen = new Set<string>();
  private readonly settled = new Set<string>();
  private readonly sinceMs?: number;

  constructor(private readonly api: RosApi, private readonly stackId: string, private readonly opts: RosEventStreamOptions) {
    this.sinceMs = opts.since ? rosTimeMs(opts.since) : undefined;
  }

  /** Marks the events already there as old, for streams started without a `since` time. */
  async prime(): Promise<void> {
    const { events } = await this.api.listStackEvents(this.stackId, 1, PAGE_SIZE);
    for (const e of events) this.seen.add(e.eventId);
  }

  async poll(): Promise<RosStackEventView[]> {
    const fresh: RosStackEvent[] = [];
    for (let page = 1; page <= MAX_PAGES_PER_POLL; page++) {
      const read = await this.api.listStackEvents(this.stackId, page, PAGE_SIZE).catch((err: unknown) => {
        // A stack deleted between GetStack and this call has no more events to show.
        if (err instanceof AlibabaApiError && err.code === 'StackNotFound') return undefined;
        throw err;
      });
      if (!read) break;
      const { events, totalCount } = read;
      let reachedKnown = false;
      for (const e of events) {
        if (this.seen.has(e.eventId) || this.isBeforeSince(e)) {
          reachedKnown = true;
          break;
        }
        fresh.push(e);
      }
      if (reachedKnown || events.length === 0 || page * PAGE_SIZE >= totalCount) break;
    }
    // Oldest first; a stable sort on time keeps ROS's own order for events within the same second.
    const ordered = fresh.reverse().map((e, i) => ({ e, i }))
      .sort((a, b) => rosTimeMs(a.e.createTime) - rosTimeMs(b.e.createTime) || a.i - b.i)
      .map(({ e }) => this.toView(e));
    for (const v of ordered) this.emit(v);
    return ordered;
  }

  private isBeforeSince(e: RosStackEvent): boolean {
    return this.sinceMs !== undefined && rosTimeMs(e.createTime) < this.sinceMs;
  }

  private toView(e: RosStackEvent): RosStackEventView {
    this.seen.add(e.eventId);
    return {
      eventId: e.eventId,
      time: e.createTime,
      logicalId: e.logicalResourceId,
      resourceType: e.resourceType,
      status: e.status,
      statusReason: e.statusReason ? this.opts.redactor.redact(e.statusReason) : undefined,
      physicalId: e.physicalResourceId,
      isStack: e.resourceType === STACK_RESOURCE_TYPE || e.logicalResourceId === this.opts.stackName,
    };
  }

  private emit(v: RosStackEventView): void {
    if (!v.isStack && isTerminalEventStatus(v.status)) this.settled.add(v.logicalId);
    if (!v.isStack && v.status.endsWith('_FAILED')) this.failures.push(v);
    this.opts.onEvent?.(v);
    const total = Math.max(this.opts.totalResources, this.settled.size);
    const reason = v.statusReason ? ` ${v.statusReason}` : '';
    this.opts.log?.(`[${this.settled.size}/${total}] ${v.status} ${v.logicalId} (${v.resourceType})${reason}`);
  }
}

/** ROS times are UTC without a zone suffix. */
export function rosTimeMs(t: string): number {
  if (!t) return 0;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? 0 : ms;
}
