/**
 * TEST DOUBLE support: what the CDN has configured on each domain, shared by the ROS stack simulator (whose
 * `ALIYUN::CDN::DomainConfig` and `ALIYUN::CDN::Domain` resources write it) and the CDN API double (whose
 * `DescribeCdnDomainConfigs` reads it), so a test can ask the CDN API what a deploy really left on the domain.
 *
 * The unkind parts modelled, each a documented fact or a documented gap:
 * - `ALIYUN::CDN::DomainConfig` wraps BatchSetCdnDomainConfig (ROS resource reference, ALIYUN::CDN::DomainConfig) and no
 *   property is editable, so any change replaces the resource. Which half of a replacement runs first is documented
 *   both ways (ROS guide "Perform a replacement update": delete, then create; change-set data structure page,
 *   doc-detail/155988: "creating new resources and deleting the original ones"), so `replacementOrder` picks one.
 * - Setting a function the domain already has (a single-instance function such as `aws_s3_bucket`) overwrites it and
 *   keeps its ConfigId; deleting a DomainConfig resource deletes the configs (by ConfigId) it set
 *   (BatchSetCdnDomainConfig / DeleteSpecificConfig API references). So in the create-first order, deleting the old
 *   resource removes the function the new one just set.
 * - A multi-instance function (`origin_request_header` with operation "add"; CDN "domain configuration functions"
 *   reference) gets a config of its own, with a new ConfigId, every time it is set; deleting one leaves the others.
 * - Deleting the CDN domain removes every function on it.
 * Every change calls the observers, so a test can check an invariant after every simulated step.
 *
 * The domain's own life, also unkind by default:
 * - Ownership: the first time a domain under a root domain is added to CDN on an account, AddCdnDomain fails with
 *   DomainOwnerVerifyFail ("Owner verification of the root domain failed.", HTTP 400) until the owner has proven the
 *   root with a TXT record `verification.<root>` holding the DescribeVerifyContent value and VerifyDomainOwner
 *   (dnsCheck) has passed; after that, lower-level domains need no verification (CDN user guide "Verify the ownership
 *   of a domain name", doc-detail/169377; API references VerifyDomainOwner and DescribeVerifyContent).
 * - Review: a domain whose origin is not hosted on Alibaba Cloud (an S3 endpoint) starts in `checking` until Alibaba
 *   approves it (done by the end of the next business day: ROS ALIYUN::CDN::Domain notes; AddCdnDomain), then goes
 *   `configuring` and `online`; a rejected one is `check_failed` (DescribeCdnDomainDetail, DomainStatus values).
 *   Here each DescribeCdnDomainDetail read moves the review on one step, as `review` says.
 * - Configuring too early: AddCdnDomain asks to wait until the domain is online before further configuration; until
 *   then a configuration call answers ServiceBusy, HTTP 403 "The specified Domain is configuring, please retry later"
 *   (CDN API error codes, help.aliyun.com/document_detail/452794.html).
 */

import { createHash } from 'node:crypto';
import { getDomain } from 'tldts';

/** The registrable domain Alibaba verifies ("the root domain example.com" of image.example.com). */
export function rootDomainOf(domain: string): string {
  return getDomain(domain) ?? domain;
}

export interface CdnFunctionArg {
  readonly ArgName: string;
  readonly ArgValue: string;
}

export interface CdnConfiguredFunction {
  readonly configId: string;
  readonly functionName: string;
  readonly args: readonly CdnFunctionArg[];
  /** The physical id of the ROS resource that last set it. */
  readonly setBy: string;
}

export type ReplacementOrder = 'delete-first' | 'create-first';

/** DescribeCdnDomainDetail's DomainStatus values (API reference, DescribeCdnDomainDetail). */
export type CdnDomainStatus =
  'online' | 'offline' | 'configuring' | 'configure_failed' | 'checking' | 'check_failed' | 'stopping' | 'deleting';

/**
 * How Alibaba's review of a new domain goes: approved after `readsInReview` status reads (then one read of
 * `configuring`), never decided (`pending`: stays `checking`), or rejected (`check_failed`).
 */
export interface ReviewPlan {
  outcome: 'approve' | 'pending' | 'reject';
  readsInReview: number;
}

/** An error the CDN API answers, with its documented code and HTTP status. */
export class CdnApiFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** Functions a domain may have several configs of; every set adds one. */
const MULTI_INSTANCE = new Set(['origin_request_header']);

export class CdnFunctionState {
  /** Domain → function name → its configuration. */
  readonly domains = new Map<string, Map<string, CdnConfiguredFunction>>();
  replacementOrder: ReplacementOrder = 'create-first';
  /** Domain → DescribeCdnDomainDetail's DomainStatus. */
  readonly status = new Map<string, CdnDomainStatus>();
  /** Status reads each domain still spends in review. */
  private readonly reviewReadsLeft = new Map<string, number>();
  /** Root domains this account has proven it owns (VerifyDomainOwner passed). */
  readonly verifiedRoots = new Set<string>();
  /** New domains have a non-Alibaba (S3) origin, so they are reviewed; how the review goes. */
  review: ReviewPlan = { outcome: 'approve', readsInReview: 2 };
  /**
   * Tests about something else (the ROS engine) can start from an account past the first-time set-up: every root
   * verified, and new domains online at once (as a domain with an Alibaba-hosted origin is not reviewed).
   */
  pastFirstTimeSetup(): void {
    this.allRootsVerified = true;
    this.reviewNewDomains = false;
  }
  allRootsVerified = false;
  /** Domains whose status stays as it is, however often it is read (Alibaba taking its time). */
  readonly held = new Set<string>();
  reviewNewDomains = true;
  /** The public DNS's TXT values for a name, as VerifyDomainOwner's dnsCheck reads them; a test wires it to its DNS. */
  txtLookup: (name: string) => readonly string[] = () => [];
  private readonly observers: Array<(event: string) => void> = [];
  private nextConfigId = 1000;

  observe(observer: (event: string) => void): void {
    this.observers.push(observer);
  }

  /** The domain's function of that name (for a multi-instance function, its most recently set config). */
  get(domain: string, functionName: string): CdnConfiguredFunction | undefined {
    return this.all(domain, functionName).at(-1);
  }

  /** Every config of that function on the domain, oldest first. */
  all(domain: string, functionName: string): CdnConfiguredFunction[] {
    return [...(this.domains.get(domain)?.values() ?? [])].filter((fn) => fn.functionName === functionName);
  }

  /** An argument's value, or undefined when the domain lacks the function or the argument. */
  argument(domain: string, functionName: string, argName: string): string | undefined {
    return this.get(domain, functionName)?.args.find((arg) => arg.ArgName === argName)?.ArgValue;
  }

  /** AddCdnDomain, as the ROS ALIYUN::CDN::Domain resource's create calls it. */
  addDomain(domain: string): void {
    // A domain is on one CDN once: a second AddCdnDomain answers DomainAlreadyExist (CDN API error codes).
    if (this.domains.has(domain)) throw new CdnApiFault(400, 'DomainAlreadyExist', 'The specified domain already exists.');
    if (!this.allRootsVerified && !this.verifiedRoots.has(rootDomainOf(domain))) {
      throw new CdnApiFault(400, 'DomainOwnerVerifyFail', 'Owner verification of the root domain failed.');
    }
    this.domains.set(domain, new Map());
    this.status.set(domain, this.reviewNewDomains ? 'checking' : 'online');
    this.reviewReadsLeft.set(domain, this.review.readsInReview);
    this.notify(`domain ${domain} added`);
  }

  removeDomain(domain: string): void {
    this.domains.delete(domain);
    this.status.delete(domain);
    this.reviewReadsLeft.delete(domain);
    this.notify(`domain ${domain} deleted`);
  }

  /** DescribeCdnDomainDetail's DomainStatus; each read of a domain in review moves the review on one step. */
  readStatus(domain: string): CdnDomainStatus | undefined {
    const current = this.status.get(domain);
    if (this.held.has(domain)) return current;
    if (current === 'checking') {
      const left = this.reviewReadsLeft.get(domain) ?? 0;
      if (left > 0) this.reviewReadsLeft.set(domain, left - 1);
      else if (this.review.outcome === 'approve') this.status.set(domain, 'configuring');
      else if (this.review.outcome === 'reject') this.status.set(domain, 'check_failed');
    } else if (current === 'configuring') {
      this.status.set(domain, 'online');
    }
    return current;
  }

  /** Alibaba approves the review now (a test's way of saying "the next business day came"). */
  approve(domain: string): void {
    if (this.status.get(domain) === 'checking') this.status.set(domain, 'online');
  }

  /** A configuration call (BatchSetCdnDomainConfig, SetCdnDomainSSLCertificate) on the domain. */
  assertConfigurable(domain: string): void {
    if (!this.domains.has(domain)) throw new CdnApiFault(404, 'InvalidDomain.NotFound', 'The domain provided does not belong to you.');
    const status = this.status.get(domain);
    if (status !== 'online' && status !== 'offline') {
      throw new CdnApiFault(403, 'ServiceBusy', 'The specified Domain is configuring, please retry later');
    }
  }

  /** DescribeVerifyContent: the TXT value that proves the account owns the domain's root (stable per account and root). */
  verifyContent(domain: string): string {
    return `verify_${createHash('md5')
      .update(`account/${rootDomainOf(domain)}`)
      .digest('hex')}`;
  }

  /** VerifyDomainOwner with dnsCheck: passes when `verification.<root>` has the TXT value. */
  verifyOwner(domain: string): void {
    const root = rootDomainOf(domain);
    if (!this.txtLookup(`verification.${root}`).includes(this.verifyContent(domain))) {
      throw new CdnApiFault(400, 'DomainOwnerVerifyFail', 'Owner verification of the root domain failed.');
    }
    this.verifiedRoots.add(root);
  }

  /** BatchSetCdnDomainConfig as a DomainConfig resource's create runs it. */
  set(domains: readonly string[], functions: readonly { functionName: string; args: readonly CdnFunctionArg[] }[], setBy: string): void {
    for (const domain of domains) {
      this.assertConfigurable(domain);
      const configured = this.domains.get(domain)!;
      for (const fn of functions) {
        const existing = MULTI_INSTANCE.has(fn.functionName) ? undefined : configured.get(fn.functionName);
        const configId = existing?.configId ?? String((this.nextConfigId += 1));
        const key = MULTI_INSTANCE.has(fn.functionName) ? `${fn.functionName}#${configId}` : fn.functionName;
        configured.set(key, { configId, functionName: fn.functionName, args: fn.args, setBy });
      }
    }
    this.notify(`${setBy} set ${functions.map((fn) => fn.functionName).join(', ')}`);
  }

  /**
   * A DomainConfig resource's delete: DeleteSpecificConfig of the ConfigIds its create got back, which are the ids the
   * functions it set still carry, whoever set them last.
   */
  deleteSetBy(domains: readonly string[], functionNames: readonly string[], configIds: readonly string[], deletedBy: string): void {
    for (const domain of domains) {
      const configured = this.domains.get(domain);
      if (!configured) continue;
      for (const [key, fn] of configured) {
        if (functionNames.includes(fn.functionName) && configIds.includes(fn.configId)) configured.delete(key);
      }
    }
    this.notify(`${deletedBy} deleted ${functionNames.join(', ')}`);
  }

  private notify(event: string): void {
    for (const observer of this.observers) observer(event);
  }
}

/** The DomainNames and FunctionList of an evaluated DomainConfig resource. */
export function domainConfigProps(props: Record<string, unknown>): {
  domains: string[];
  functions: { functionName: string; args: CdnFunctionArg[] }[];
} {
  const domains = String(props.DomainNames ?? '')
    .split(',')
    .map((domain) => domain.trim())
    .filter(Boolean);
  const list = Array.isArray(props.FunctionList) ? (props.FunctionList as Array<Record<string, unknown>>) : [];
  const functions = list.map((entry) => ({
    functionName: String(entry.FunctionName),
    args: (Array.isArray(entry.FunctionArgs) ? (entry.FunctionArgs as Array<Record<string, unknown>>) : []).map((arg) => ({
      ArgName: String(arg.ArgName),
      ArgValue: String(arg.ArgValue),
    })),
  }));
  return { domains, functions };
}
