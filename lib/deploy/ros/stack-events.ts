import {
  type FailedResource,
  type PollSettings,
  pollUntil,
  type RosApi,
  RosDeployError,
  type RosStackDetail,
  type RosStackEvent,
} from './ros-client';
import { isApiError, type SecretRedactor } from '../../alibaba-api';
import { isOperationInProgress, isTerminalEventStatus, nextStepFor, type RecoveryHints } from './stack-facts';

/**
 * Where a run's progress goes: the one sink for everything the engine has to say while it works. The stage
 * commands pass their `Reporter`, which fits this shape, so each line is printed once, by the reporter.
 */
export interface RosProgress {
  /** What the run is doing or decided ("created UPDATE change set", the change preview, retries). */
  info(line: string): void;
  /** One stack event, formatted here as `[n/total] STATUS LogicalId (Type) reason`; the view is for callers that need more. */
  event(line: string, event: RosStackEventView): void;
}

/** A stack event as handed to `RosProgress.event` (status reason already redacted). */
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
  readonly progress?: RosProgress;
}

/** ListStackEvents allows at most 50 per page. */
const PAGE_SIZE = 50;
/** Bound on pages read in one poll, so a stack with a huge history cannot turn one poll into hundreds of calls. */
const MAX_PAGES_PER_POLL = 10;
const STACK_RESOURCE_TYPE = 'ALIYUN::ROS::Stack';

/**
 * Streams a stack's new events, cdk style: `[n/total] STATUS LogicalId (Type) reason`, each exactly once.
 * The ListStackEvents reference promises no order, and times have one-second resolution (several events can share
 * one), so each poll reads every page (bounded), keeps the events not seen yet and not older than `since`, and hands
 * them out oldest first; events within the same second keep the order ROS listed them in, oldest-first or not.
 */
export class RosEventStream {
  /** Resource failures seen so far (`*_FAILED` on a resource), for the error message. */
  readonly failures: RosStackEventView[] = [];
  private readonly seen = new Set<string>();
  private readonly settled = new Set<string>();
  private readonly sinceMs?: number;

  constructor(
    private readonly api: RosApi,
    private readonly stackId: string,
    private readonly options: RosEventStreamOptions,
  ) {
    this.sinceMs = options.since ? rosTimeMs(options.since) : undefined;
  }

  /** Marks the events already there as old, for streams started without a `since` time. */
  async prime(): Promise<void> {
    // Every page (bounded): with no promised order, an old event can be on any of them.
    for (let page = 1; page <= MAX_PAGES_PER_POLL; page++) {
      const { events, totalCount } = await this.api.listStackEvents(this.stackId, page, PAGE_SIZE);
      for (const event of events) this.seen.add(event.eventId);
      if (events.length === 0 || page * PAGE_SIZE >= totalCount) break;
    }
  }

  async poll(): Promise<RosStackEventView[]> {
    const fresh: RosStackEvent[] = [];
    for (let page = 1; page <= MAX_PAGES_PER_POLL; page++) {
      const read = await this.api.listStackEvents(this.stackId, page, PAGE_SIZE).catch((error: unknown) => {
        // A stack deleted between GetStack and this call has no more events to show.
        if (isApiError(error, 'StackNotFound')) return undefined;
        throw error;
      });
      if (!read) break;
      const { events, totalCount } = read;
      let reachedKnown = false;
      for (const event of events) {
        if (this.seen.has(event.eventId) || this.isBeforeSince(event)) reachedKnown = true;
        else if (!fresh.some((known) => known.eventId === event.eventId)) fresh.push(event);
      }
      // A page that runs newest first and already reaches known events: the later pages can only hold older ones.
      // Otherwise (any other order) every page is read.
      if (reachedKnown && isNewestFirst(events)) break;
      if (events.length === 0 || page * PAGE_SIZE >= totalCount) break;
    }
    // Oldest first. Within one second the order is unknown; take ROS's listing as newest first (what it does today)
    // unless the page itself runs oldest first.
    const newestFirst = fresh.length < 2 || rosTimeMs(fresh[0]!.createTime) >= rosTimeMs(fresh[fresh.length - 1]!.createTime);
    const ordered = (newestFirst ? fresh.reverse() : fresh)
      .map((event, index) => ({ event, index }))
      .sort((left, right) => rosTimeMs(left.event.createTime) - rosTimeMs(right.event.createTime) || left.index - right.index)
      .map(({ event }) => this.toView(event));
    for (const view of ordered) this.emit(view);
    return ordered;
  }

  private isBeforeSince(event: RosStackEvent): boolean {
    return this.sinceMs !== undefined && rosTimeMs(event.createTime) < this.sinceMs;
  }

  private toView(event: RosStackEvent): RosStackEventView {
    this.seen.add(event.eventId);
    return {
      eventId: event.eventId,
      time: event.createTime,
      logicalId: event.logicalResourceId,
      resourceType: event.resourceType,
      status: event.status,
      statusReason: event.statusReason ? this.options.redactor.redact(event.statusReason) : undefined,
      physicalId: event.physicalResourceId,
      isStack: event.resourceType === STACK_RESOURCE_TYPE || event.logicalResourceId === this.options.stackName,
    };
  }

  private emit(view: RosStackEventView): void {
    if (!view.isStack && isTerminalEventStatus(view.status)) this.settled.add(view.logicalId);
    if (!view.isStack && view.status.endsWith('_FAILED')) this.failures.push(view);
    const total = Math.max(this.options.totalResources, this.settled.size);
    const reason = view.statusReason ? ` ${view.statusReason}` : '';
    this.options.progress?.event(`[${this.settled.size}/${total}] ${view.status} ${view.logicalId} (${view.resourceType})${reason}`, view);
  }
}

/** Times never rise down the page and do fall somewhere (a page all in one second proves no order). */
function isNewestFirst(events: readonly RosStackEvent[]): boolean {
  if (events.length < 2 || rosTimeMs(events[0]!.createTime) <= rosTimeMs(events[events.length - 1]!.createTime)) return false;
  return events.every((event, index) => index === 0 || rosTimeMs(events[index - 1]!.createTime) >= rosTimeMs(event.createTime));
}

/** ROS times are UTC without a zone suffix. */
export function rosTimeMs(time: string): number {
  if (!time) return 0;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(time) ? time : `${time}Z`);
  return Number.isNaN(ms) ? 0 : ms;
}

export interface StackWaitResult {
  /** Last state read; undefined once ROS no longer knows the stack (deleted). */
  readonly stack?: RosStackDetail;
  readonly timedOut: boolean;
  readonly waitedMs: number;
}

/**
 * Polls GetStack (outputs included, so a successful wait needs no extra read) and streams events until the stack
 * leaves `*_IN_PROGRESS`, disappears, or `maxWaitMs` passes.
 */
export async function waitForStackToSettle(
  api: RosApi,
  stackId: string,
  stream: RosEventStream | undefined,
  poll: PollSettings,
  how: SettleOptions = {},
): Promise<StackWaitResult> {
  let begun = !how.started;
  const { value, timedOut, waitedMs } = await pollUntil(async () => {
    const stack = await api.getStack(stackId, true);
    // Events after GetStack: every event up to the status just read is then shown before returning. Reading them
    // is progress reporting only: a failed read (throttled past its retries, a reset) does not end the wait.
    const events =
      stream && stack
        ? await stream.poll().catch((error: unknown) => {
            how.onEventsError?.(error);
            return [];
          })
        : [];
    if (stack && !begun) begun = await how.started!(stack);
    return { value: stack, done: !stack || (begun && !isOperationInProgress(stack.status)), progressed: events.length > 0 };
  }, poll);
  return { stack: value, timedOut, waitedMs };
}

export interface SettleOptions {
  /**
   * For an operation this run started: whether the stack shows it yet. ROS starts operations asynchronously
   * (ExecuteChangeSet "starts to update" the stack), so until this says yes, a settled-looking status is the one
   * from before and counts neither as success nor as failure.
   */
  readonly started?: (stack: RosStackDetail) => Promise<boolean>;
  /** Told about a failed read of events; the wait goes on. */
  readonly onEventsError?: (error: unknown) => void;
}

export function failedResourcesFrom(events: readonly RosStackEventView[]): FailedResource[] {
  const byId = new Map<string, FailedResource>();
  for (const event of events) {
    // The first failure of a resource is the cause; later ones (rollback) are consequences.
    if (!byId.has(event.logicalId)) {
      byId.set(event.logicalId, {
        logicalId: event.logicalId,
        resourceType: event.resourceType,
        status: event.status,
        statusReason: event.statusReason,
      });
    }
  }
  return [...byId.values()];
}

/** The error for an operation that ended in a failure state, naming the failed resources from its events. */
export function operationFailedError(args: {
  stackName: string;
  verb: string;
  status: string;
  statusReason?: string;
  failures: readonly RosStackEventView[];
  hints?: RecoveryHints;
}): RosDeployError {
  const failed = failedResourcesFrom(args.failures);
  const lines = [
    `ROS stack '${args.stackName}' failed to ${args.verb}: final status ${args.status}${args.statusReason ? ` (${args.statusReason})` : ''}.`,
  ];
  if (failed.length > 0) {
    lines.push('Failed resources:');
    for (const resource of failed) {
      lines.push(
        `  - ${resource.logicalId} (${resource.resourceType}) ${resource.status}${resource.statusReason ? `: ${resource.statusReason}` : ''}`,
      );
    }
  }
  lines.push(`How to go on: ${nextStepFor(args.status, args.hints)}`);
  return new RosDeployError(lines.join('\n'), 'operation-failed', args.stackName, args.status, failed);
}
