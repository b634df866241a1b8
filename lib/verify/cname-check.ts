import { promises as dns } from 'node:dns';
import type { CheckResult } from './check-result';

export type ResolveCname = (hostname: string) => Promise<string[]>;

export interface CnameCheckOptions {
  readonly serviceDomain: string;
  /** The CDN domain's Cname (ROS output), e.g. test.test.com.w.kunlunsl.com. */
  readonly cdnCname: string;
  readonly resolveCname?: ResolveCname;
  /** @default 8 */
  readonly maxHops?: number;
}

// "No CNAME here": the chain ended (at an A record or nothing).
const END_OF_CHAIN = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * Follows the CNAME chain from the service domain until it reaches the CDN's Cname. The chain may pass through
 * intermediate names (a zone's own alias, a traffic manager) before it gets there.
 */
export async function checkCname(options: CnameCheckOptions): Promise<CheckResult> {
  const resolveCname = options.resolveCname ?? ((name: string) => dns.resolveCname(name));
  const maxHops = options.maxHops ?? 8;
  const expected = normalize(options.cdnCname);
  const title = 'service domain CNAME reaches the CDN';
  const chain = [normalize(options.serviceDomain)];

  for (let hop = 0; hop < maxHops; hop++) {
    let targets: string[];
    try {
      targets = await resolveCname(chain[chain.length - 1]);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code && END_OF_CHAIN.has(code)) break;
      return {
        id: 'dns-cname',
        title,
        status: 'fail',
        detail: `DNS lookup of ${chain[chain.length - 1]} failed (${code ?? String(error)}); chain so far: ${chain.join(' -> ')}.`,
      };
    }
    if (targets.length === 0) break;
    const next = normalize(targets[0]);
    if (chain.includes(next)) {
      return { id: 'dns-cname', title, status: 'fail', detail: `CNAME loop: ${[...chain, next].join(' -> ')}.` };
    }
    chain.push(next);
    if (next === expected) {
      return { id: 'dns-cname', title, status: 'pass', detail: chain.join(' -> ') };
    }
  }

  const detail =
    chain.length === 1
      ? `${chain[0]} has no CNAME record; create CNAME ${chain[0]} -> ${expected} (DNS changes can take up to the record's TTL to show).`
      : `The CNAME chain ${chain.join(' -> ')} does not reach ${expected}; point ${chain[0]} at ${expected}.`;
  return { id: 'dns-cname', title, status: 'fail', detail };
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
