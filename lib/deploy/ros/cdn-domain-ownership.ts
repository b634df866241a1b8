import * as $Alidns from '@alicloud/alidns20150109';
import type AlidnsClient from '@alicloud/alidns20150109';
import * as $CDN from '@alicloud/cdn20180510';
import { getDomain } from 'tldts';
import type { CdnClient } from './cdn-domain-configs';
import { type Clock, isApiError, type RetryOptions, systemClock, withRetry } from '../../alibaba-api';

/*
 * The first time a domain under a root domain is added to Alibaba CDN on an account, Alibaba wants proof that the
 * account owns the root: a TXT record `verification.<root>` holding the value DescribeVerifyContent returns, checked by
 * VerifyDomainOwner (VerifyType dnsCheck). Until then AddCdnDomain (and so the ROS stack's CDN domain) fails with
 * DomainOwnerVerifyFail. Once verified, lower-level domains of the root need nothing more, and the record may be
 * deleted (CDN user guide "Verify the ownership of a domain name", doc-detail/169377; API references
 * DescribeVerifyContent and VerifyDomainOwner, 100 calls per second each). No API says "this root is verified", so
 * the probe reads it from what the account already has: the domain itself, another domain under the root, or a
 * passing VerifyDomainOwner.
 */

/** The registrable domain Alibaba verifies, from the public suffix list: example.com for cdn.example.com. */
export function rootDomainOf(domain: string): string {
  return getDomain(domain) ?? domain;
}

export interface VerificationRecord {
  /** The full record name, `verification.<root>`. */
  readonly name: string;
  readonly type: 'TXT';
  readonly value: string;
}

export type OwnershipProbe =
  | { readonly kind: 'domain-on-account'; readonly root: string }
  | { readonly kind: 'root-verified'; readonly root: string; readonly evidence: string }
  | { readonly kind: 'unverified'; readonly root: string; readonly record: VerificationRecord };

export interface OwnershipClients {
  readonly cdn: CdnClient;
  readonly retry?: RetryOptions;
}

export async function probeDomainOwnership(clients: OwnershipClients, domain: string): Promise<OwnershipProbe> {
  const root = rootDomainOf(domain);
  const call = <T>(action: string, run: () => Promise<T>) =>
    withRetry({ service: 'CDN', action, target: `domain '${domain}'` }, run, clients.retry);
  try {
    await call('DescribeCdnDomainDetail', () =>
      clients.cdn.describeCdnDomainDetail(new $CDN.DescribeCdnDomainDetailRequest({ domainName: domain })),
    );
    return { kind: 'domain-on-account', root };
  } catch (error) {
    if (!isApiError(error, 'InvalidDomain.NotFound')) throw error;
  }
  const listed = await call('DescribeUserDomains', () =>
    clients.cdn.describeUserDomains(
      new $CDN.DescribeUserDomainsRequest({ domainName: root, domainSearchType: 'fuzzy_match', pageSize: 50 }),
    ),
  );
  const sibling = (listed.body?.domains?.pageData ?? [])
    .map((entry) => entry.domainName ?? '')
    .find((name) => name === root || name.endsWith(`.${root}`));
  if (sibling) return { kind: 'root-verified', root, evidence: `${sibling} is already on this account's CDN` };
  if (await verifyOwner(clients, domain)) return { kind: 'root-verified', root, evidence: 'VerifyDomainOwner passed' };
  const content = await call('DescribeVerifyContent', () =>
    clients.cdn.describeVerifyContent(new $CDN.DescribeVerifyContentRequest({ domainName: domain })),
  );
  const value = content.body?.content;
  if (!value) throw new Error(`DescribeVerifyContent returned no verification content for ${domain}`);
  return { kind: 'unverified', root, record: { name: `verification.${root}`, type: 'TXT', value } };
}

/** VerifyDomainOwner with a DNS check: true when it passes, false on DomainOwnerVerifyFail. */
async function verifyOwner(clients: OwnershipClients, domain: string): Promise<boolean> {
  try {
    await withRetry(
      { service: 'CDN', action: 'VerifyDomainOwner', target: `domain '${domain}'` },
      () => clients.cdn.verifyDomainOwner(new $CDN.VerifyDomainOwnerRequest({ domainName: domain, verifyType: 'dnsCheck' })),
      clients.retry,
    );
    return true;
  } catch (error) {
    if (isApiError(error, 'DomainOwnerVerifyFail')) return false;
    throw error;
  }
}

/** The instruction for a root whose DNS is not in this account's Alibaba Cloud DNS. */
export function recordInstruction(record: VerificationRecord): string {
  return `create the DNS record  ${record.name}  TXT  "${record.value}"  at the root domain's DNS provider, check it with \`dig +short TXT ${record.name}\`, then run the deploy again: it verifies the record before creating anything (the record may be deleted once the deploy has passed this step)`;
}

export interface ProveOptions extends OwnershipClients {
  readonly alidns: AlidnsClient;
  readonly domain: string;
  readonly record: VerificationRecord;
  readonly report: (line: string) => void;
  readonly clock?: Clock;
  /** Verification attempts while the new record reaches Alibaba's resolvers. @default 6 */
  readonly attempts?: number;
  /** @default 10000 */
  readonly attemptIntervalMs?: number;
}

/**
 * With the root zone in this account's Alibaba Cloud DNS: adds the TXT record (or finds it from an interrupted run),
 * verifies, and deletes the record it added once verification passed. On failure the record stays, so a re-run
 * verifies again without adding a second one.
 */
export async function proveDomainOwnership(options: ProveOptions): Promise<void> {
  const { record, alidns } = options;
  const root = record.name.slice('verification.'.length);
  const dns = <T>(action: string, run: () => Promise<T>) =>
    withRetry({ service: 'Alidns', action, target: `record ${record.name}` }, run, options.retry);
  const existing = await dns('DescribeSubDomainRecords', () =>
    alidns.describeSubDomainRecords(new $Alidns.DescribeSubDomainRecordsRequest({ subDomain: record.name, type: 'TXT' })),
  );
  const found = (existing.body?.domainRecords?.record ?? []).find((entry) => stripQuotes(entry.value ?? '') === record.value);
  let addedRecordId: string | undefined;
  if (found) {
    options.report(`TXT ${record.name} already holds the verification value (left by an earlier run); verifying`);
  } else {
    try {
      const added = await dns('AddDomainRecord', () =>
        alidns.addDomainRecord(
          new $Alidns.AddDomainRecordRequest({ domainName: root, RR: 'verification', type: 'TXT', value: record.value }),
        ),
      );
      addedRecordId = added.body?.recordId;
      options.report(`added TXT ${record.name} to Alibaba Cloud DNS for Alibaba CDN's ownership check`);
    } catch (error) {
      // Added by a parallel run between the read and the add: the value is there, which is all that matters.
      if (!isApiError(error, 'DomainRecordDuplicate')) throw error;
    }
  }
  const clock = options.clock ?? systemClock;
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    if (await verifyOwner(options, options.domain)) break;
    if (attempt >= attempts) {
      throw new Error(
        `Alibaba CDN could not verify ${record.name} after ${attempts} attempts. The TXT record is left in place; check it with \`dig +short TXT ${record.name}\` and run the deploy again (nothing else was created).`,
      );
    }
    await clock.sleep(options.attemptIntervalMs ?? 10_000);
  }
  options.report(`Alibaba CDN verified that this account owns ${root}`);
  if (addedRecordId) {
    await dns('DeleteDomainRecord', () => alidns.deleteDomainRecord(new $Alidns.DeleteDomainRecordRequest({ recordId: addedRecordId })));
    options.report(`deleted TXT ${record.name} again (only the first verification needs it)`);
  }
}

function stripQuotes(value: string): string {
  return value.replace(/^"|"$/g, '');
}

/** One site as the ownership step sees it. */
export interface OwnershipSite {
  readonly domain: string;
  /** Whether the site's DNS is in Alibaba Cloud DNS (dns.provider "alidns"): only then can the deploy add the record. */
  readonly alidns: boolean;
}

export interface OwnershipVerdict {
  readonly ok: boolean;
  readonly message: string;
  readonly fix?: string;
}

/** The first-time ownership verification, as the preflight checks it and the deploy carries it out. */
export interface DomainOwnership {
  /** Preflight: changes nothing. Fails only when the deploy could not prove ownership by itself. */
  check(site: OwnershipSite): Promise<OwnershipVerdict>;
  /** Deploy, before anything is created: proves ownership when needed (adds, verifies and removes the TXT record). */
  ensure(site: OwnershipSite, report: (line: string) => void): Promise<void>;
}

export function domainOwnership(clients: OwnershipClients & { readonly alidns: AlidnsClient; readonly clock?: Clock }): DomainOwnership {
  const rootZoneHosted = async (root: string): Promise<boolean> => {
    try {
      await withRetry(
        { service: 'Alidns', action: 'DescribeDomainInfo', target: `zone '${root}'` },
        () => clients.alidns.describeDomainInfo(new $Alidns.DescribeDomainInfoRequest({ domainName: root })),
        clients.retry,
      );
      return true;
    } catch (error) {
      if (isApiError(error, 'InvalidDomainName.NoExist')) return false;
      throw error;
    }
  };
  // The preflight's probe is the deploy step's too: one object lives for one command run, and within it the answer
  // does not need asking again (up to four CDN and DNS calls per site). A probe that failed is not kept.
  const plans = new Map<string, Promise<{ probe: OwnershipProbe; canAdd: boolean }>>();
  const plan = (site: OwnershipSite) => {
    const key = `${site.domain}\0${site.alidns}`;
    let planned = plans.get(key);
    if (!planned) {
      planned = (async () => {
        const probe = await probeDomainOwnership(clients, site.domain);
        const canAdd = probe.kind === 'unverified' && site.alidns && (await rootZoneHosted(probe.root));
        return { probe, canAdd };
      })();
      planned.catch(() => plans.delete(key));
      plans.set(key, planned);
    }
    return planned;
  };
  return {
    async check(site) {
      const { probe, canAdd } = await plan(site);
      switch (probe.kind) {
        case 'domain-on-account':
          return { ok: true, message: `${site.domain} is already on this account's CDN` };
        case 'root-verified':
          return { ok: true, message: `this account owns ${probe.root} for Alibaba CDN (${probe.evidence})` };
        case 'unverified':
          return canAdd
            ? {
                ok: true,
                message: `first domain under ${probe.root} on this account's CDN: the deploy adds TXT ${probe.record.name} to Alibaba Cloud DNS, verifies it and removes it again`,
              }
            : {
                ok: false,
                message: `Alibaba CDN must first verify that this account owns ${probe.root} (the first domain under it on this account), and its DNS is not in this account's Alibaba Cloud DNS`,
                fix: recordInstruction(probe.record),
              };
      }
    },
    async ensure(site, report) {
      const { probe, canAdd } = await plan(site);
      if (probe.kind !== 'unverified') return;
      if (!canAdd) throw new Error(`Alibaba CDN has not verified that this account owns ${probe.root}: ${recordInstruction(probe.record)}`);
      await proveDomainOwnership({ ...clients, domain: site.domain, record: probe.record, report });
    },
  };
}
