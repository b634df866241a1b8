import * as $CDN from '@alicloud/cdn20180510';
import type { CdnClient } from './cdn-domain-configs';
import { type Clock, isApiError, type RetryOptions, systemClock, withRetry } from '../../alibaba-api';

/*
 * Where a CDN domain is in its life, read from the CDN API (DescribeCdnDomainDetail, API 2018-05-10; 30 calls per
 * second per account). DomainStatus is one of online, offline, configuring, configure_failed, checking (in review),
 * check_failed (review rejected), stopping and deleting; an unknown domain answers InvalidDomain.NotFound.
 *
 * Why the deploy cares: a domain whose origin is not on Alibaba Cloud (an S3 endpoint) is reviewed by Alibaba, up to the
 * end of the next business day (ROS ALIYUN::CDN::Domain; AddCdnDomain), and AddCdnDomain asks to wait until the domain
 * is online before configuring it: meanwhile configuration calls answer ServiceBusy ("The specified Domain is
 * configuring, please retry later", CDN API error codes). The CDN stack therefore has a CdnDomainOnline parameter,
 * and this module decides its value for each run (`planCdnDomainPhase`).
 */

export type CdnDomainState = { readonly exists: false } | { readonly exists: true; readonly status: string };

export interface CdnDomainStatusReader {
  domainState(domain: string): Promise<CdnDomainState>;
}

export function cdnDomainStatusReader(client: CdnClient, retry: RetryOptions = {}): CdnDomainStatusReader {
  return {
    async domainState(domain) {
      try {
        const response = await withRetry(
          { service: 'CDN', action: 'DescribeCdnDomainDetail', target: `domain '${domain}'` },
          () => client.describeCdnDomainDetail(new $CDN.DescribeCdnDomainDetailRequest({ domainName: domain })),
          retry,
        );
        return { exists: true, status: response.body?.getDomainDetailModel?.domainStatus ?? 'unknown' };
      } catch (error) {
        if (isApiError(error, 'InvalidDomain.NotFound')) return { exists: false };
        throw error;
      }
    },
  };
}

/** Statuses in which the domain takes configuration. An offline (stopped) domain keeps and takes its configuration. */
const CONFIGURABLE = new Set(['online', 'offline']);
/** Statuses that only Alibaba or the account owner can change; waiting does not help. */
const DEAD_ENDS: Readonly<Record<string, string>> = {
  check_failed:
    'Alibaba rejected the domain in review (check_failed). The CDN console says why (often the origin content or a missing ICP filing for the Chinese mainland). Fix the cause and ask Alibaba to review again, or remove the stack with `npm run destroy` and deploy again.',
  configure_failed:
    'Alibaba failed to configure the domain (configure_failed). Open a ticket with Alibaba Cloud support naming the domain; run the deploy again once the CDN console shows it online.',
};

/** What the CdnDomainOnline parameter is this run, and why. */
export interface CdnDomainPhase {
  /** 'configure': the whole site; 'domain-only': the domain alone, its configuration waiting for the review. */
  readonly phase: 'configure' | 'domain-only';
  readonly status: string;
}

/** The deploy stops here for now: Alibaba's review is not over. The message says what exists and how to go on. */
export class AwaitingCdnReviewError extends Error {
  constructor(
    readonly domain: string,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/** The domain cannot be configured and waiting will not change that (check_failed, configure_failed). */
export class CdnDomainUnusableError extends Error {}

export interface PhaseOptions {
  readonly reader: CdnDomainStatusReader;
  readonly domain: string;
  /**
   * Whether the stack already runs with the configuration (deployed, and CdnDomainOnline not "false"). Such a stack
   * is never taken back to the domain alone: that would delete its configuration, certificate and DNS record. Asked
   * only when the domain is not online (it costs ROS calls).
   */
  readonly stackConfigured: () => Promise<boolean>;
  /** How long to wait for a configured domain to be online again (e.g. "configuring" after an origin change). */
  readonly waitMs: number;
  readonly pollIntervalMs?: number;
  readonly clock?: Clock;
  readonly report: (line: string) => void;
}

/**
 * Decides the phase: a new domain, or one still in review whose stack never had its configuration, is deployed alone;
 * a domain that is online (or a stack already configured, once its domain is online again) gets the whole site.
 */
export async function planCdnDomainPhase(options: PhaseOptions): Promise<CdnDomainPhase> {
  const state = await options.reader.domainState(options.domain);
  if (!state.exists) {
    options.report(
      `CDN domain ${options.domain}: not on the CDN yet; it is added alone first, and configured once Alibaba has reviewed it`,
    );
    return { phase: 'domain-only', status: 'absent' };
  }
  const dead = DEAD_ENDS[state.status];
  if (dead) throw new CdnDomainUnusableError(`CDN domain ${options.domain}: ${dead}`);
  if (CONFIGURABLE.has(state.status)) {
    if (state.status === 'offline')
      options.report(`CDN domain ${options.domain} is offline (stopped): it serves nothing until started in the CDN console`);
    return { phase: 'configure', status: state.status };
  }
  if (!(await options.stackConfigured())) {
    options.report(`CDN domain ${options.domain}: ${describeStatus(state.status)}; only the domain is deployed until it is online`);
    return { phase: 'domain-only', status: state.status };
  }
  const final = await waitForCdnDomainOnline({ ...options, initial: state.status });
  if (!CONFIGURABLE.has(final)) {
    throw new AwaitingCdnReviewError(
      options.domain,
      final,
      `CDN domain ${options.domain} is ${describeStatus(final)}, so Alibaba would refuse configuration now (ServiceBusy). Nothing was changed on Alibaba Cloud. Run the same deploy again later.`,
    );
  }
  return { phase: 'configure', status: final };
}

/**
 * Polls DescribeCdnDomainDetail until the domain can be configured, a dead end, or `waitMs`; returns the last status.
 * Prints a line when the status changes, and one a minute while it does not.
 */
export async function waitForCdnDomainOnline(
  options: Omit<PhaseOptions, 'stackConfigured'> & { readonly initial?: string },
): Promise<string> {
  const clock = options.clock ?? systemClock;
  const interval = options.pollIntervalMs ?? 15_000;
  const start = clock.now();
  let status = options.initial ?? (await statusOf(options.reader, options.domain));
  let lastReported = options.initial === undefined ? Number.NEGATIVE_INFINITY : start;
  let lastStatus = '';
  for (;;) {
    if (CONFIGURABLE.has(status) || DEAD_ENDS[status]) return status;
    const waited = clock.now() - start;
    if (status !== lastStatus || clock.now() - lastReported >= 60_000) {
      options.report(
        `waiting for Alibaba's review of ${options.domain}: ${describeStatus(status)} (${Math.round(waited / 1000)} s so far, up to ${Math.round(options.waitMs / 1000)} s)`,
      );
      lastReported = clock.now();
      lastStatus = status;
    }
    if (waited + interval > options.waitMs) return status;
    await clock.sleep(interval);
    status = await statusOf(options.reader, options.domain);
  }
}

async function statusOf(reader: CdnDomainStatusReader, domain: string): Promise<string> {
  const state = await reader.domainState(domain);
  return state.exists ? state.status : 'absent';
}

export function describeStatus(status: string): string {
  switch (status) {
    case 'checking':
      return 'in review by Alibaba (checking; non-Alibaba origins are reviewed, usually by the end of the next business day)';
    case 'configuring':
      return 'being configured by Alibaba (configuring)';
    case 'absent':
      return 'not on the CDN';
    default:
      return `in status ${status}`;
  }
}

/** A dead-end status's explanation, for a status read after the wait. */
export function deadEndMessage(domain: string, status: string): string | undefined {
  const dead = DEAD_ENDS[status];
  return dead ? `CDN domain ${domain}: ${dead}` : undefined;
}

export function isConfigurableStatus(status: string): boolean {
  return CONFIGURABLE.has(status);
}
