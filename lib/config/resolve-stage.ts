import { ConfigError, type ConfigIssue } from './config-error';
import {
  casRegionFor,
  defaultDnsFor,
  originHostFor,
  originPathPrefixFor,
  recordNameFor,
  serviceUrlFor,
  siteIdFor,
  type StackNames,
  stackNamesFor,
} from './naming';
import {
  type CAS_REGIONS,
  DEFAULT_CDN_DOMAIN_QUOTA,
  type DNS_PROVIDERS,
  ORIGIN_ACCESS_OPTION_MODES,
  type ParsedSite,
  type ParsedStage,
} from './schema';

/** CloudFormation's limit; ROS allows 255, so the shorter one decides for names shared by both clouds. */
const MAX_STACK_NAME_LENGTH = 128;

/** A site with every derived value filled in: what the stacks and the CLI consume. */
export interface SiteConfig extends Omit<ParsedSite, 'dns' | 'certificate'> {
  /** The certificate, with the CAS region it lives in always set (for `upload`, derived from alibaba.region when omitted). */
  readonly certificate: ParsedSite['certificate'] & { readonly region: (typeof CAS_REGIONS)[number] };
  readonly id: string;
  readonly stage: string;
  readonly dns: {
    readonly zone: string;
    readonly recordName: string;
    readonly provider: (typeof DNS_PROVIDERS)[number];
    readonly ttlSeconds: number;
    readonly route53HostedZoneId?: string;
  };
  readonly origin: {
    readonly host: string;
    readonly pathPrefix: string;
  };
  readonly serviceUrl: string;
  readonly stackNames: StackNames;
}

export interface StageConfig {
  readonly stage: string;
  readonly aws: ParsedStage['aws'];
  readonly alibaba: ParsedStage['alibaba'];
  readonly sites: readonly SiteConfig[];
}

/** Cross-field rules the schema cannot express, then derivation. Throws ConfigError listing every problem. */
export function resolveStage(stage: string, parsed: ParsedStage, source: string): StageConfig {
  const issues: ConfigIssue[] = [];
  const firstIndexByDomain = new Map<string, number>();
  const firstIndexByBucket = new Map<string, number>();
  const firstIndexBySiteId = new Map<string, number>();

  const sites = parsed.sites.map((site, index): SiteConfig => {
    const where = `sites[${index}]`;
    const seenDomain = firstIndexByDomain.get(site.domain);
    if (seenDomain !== undefined) {
      issues.push({
        path: `${where}.domain`,
        value: site.domain,
        allowed: `duplicate site: sites[${seenDomain}] already serves this domain`,
      });
    } else firstIndexByDomain.set(site.domain, index);

    const seenBucket = firstIndexByBucket.get(site.bucket.name);
    if (seenBucket !== undefined) {
      issues.push({
        path: `${where}.bucket.name`,
        value: site.bucket.name,
        allowed: `duplicate bucket: sites[${seenBucket}] already uses it (bucket names are global; one bucket per site)`,
      });
    } else firstIndexByBucket.set(site.bucket.name, index);

    const derived = defaultDnsFor(site.domain);
    const zone = site.dns.zone ?? derived.zone;
    if (site.domain !== zone && !site.domain.endsWith(`.${zone}`)) {
      issues.push({
        path: `${where}.dns.zone`,
        value: zone,
        allowed: `must be "${site.domain}" or a parent domain of it (a suffix after a dot)`,
      });
    }
    const recordName = site.dns.recordName ?? recordNameFor(site.domain, zone);
    if (site.dns.recordName !== undefined && site.domain.endsWith(`.${zone}`) && recordName !== recordNameFor(site.domain, zone)) {
      issues.push({
        path: `${where}.dns.recordName`,
        value: recordName,
        allowed: `must be "${recordNameFor(site.domain, zone)}" so that the record name plus zone "${zone}" is the domain "${site.domain}"`,
      });
    }

    if (site.dns.provider === 'route53') {
      if (!site.dns.route53HostedZoneId) {
        issues.push({
          path: `${where}.dns.route53HostedZoneId`,
          value: undefined,
          allowed: 'is required when dns.provider is "route53": the hosted zone id of dns.zone',
        });
      }
      if (recordName === '@') {
        issues.push({
          path: `${where}.dns.provider`,
          value: 'route53',
          allowed: 'a CNAME cannot sit at the zone apex; use a subdomain, or "none" and an ALIAS/flattening record of your own',
        });
      }
    } else if (site.dns.route53HostedZoneId !== undefined) {
      issues.push({
        path: `${where}.dns.route53HostedZoneId`,
        value: site.dns.route53HostedZoneId,
        allowed: 'only applies when dns.provider is "route53"',
      });
    }
    for (const [option, modes] of Object.entries(ORIGIN_ACCESS_OPTION_MODES)) {
      if (site.originAccess[option as keyof typeof ORIGIN_ACCESS_OPTION_MODES] && !modes.includes(site.originAccess.mode)) {
        const allowedModes = modes.map((mode) => `"${mode}"`).join(' or ');
        issues.push({
          path: `${where}.originAccess.${option}`,
          value: true,
          allowed: `only applies to mode ${allowedModes}; remove it or set it to false`,
        });
      }
    }

    if (site.website.singlePageApp && site.website.indexDocument === false) {
      issues.push({
        path: `${where}.website.singlePageApp`,
        value: true,
        allowed: 'needs website.indexDocument: a single-page app serves its index document for unknown paths',
      });
    }
    if (site.originAccess.readerCanList && site.website.indexDocument === false) {
      // Without the index rewrite, the CDN's signed origin request for "/" is a ListObjects call the reader may make.
      issues.push({
        path: `${where}.website.indexDocument`,
        value: false,
        allowed: 'must name an index document while originAccess.readerCanList is true, or https://<domain>/ returns the bucket listing',
      });
    }

    const id = siteIdFor(site.domain);
    // Dots become hyphens in the site id, so two different domains can share one (test.test.com, test-test.com);
    // their stacks, secrets and construct ids would then collide, which CDK reports only by a construct path.
    const seenId = firstIndexBySiteId.get(id);
    if (seenId !== undefined && parsed.sites[seenId].domain !== site.domain) {
      issues.push({
        path: `${where}.domain`,
        value: site.domain,
        allowed:
          `maps to the same site id "${id}" as sites[${seenId}].domain "${parsed.sites[seenId].domain}" (dots become hyphens), so both ` +
          `sites would share the stack names ${stackNamesFor(stage, id).origin} and ${stackNamesFor(stage, id).cdn}; serve one of the two domains from another stage`,
      });
    } else if (seenId === undefined) firstIndexBySiteId.set(id, index);
    const stackNames = stackNamesFor(stage, id);
    const longest = [stackNames.origin, stackNames.cdn, stackNames.route53].reduce((accumulator, text) =>
      text.length > accumulator.length ? text : accumulator,
    );
    if (longest.length > MAX_STACK_NAME_LENGTH) {
      issues.push({
        path: `${where}.domain`,
        value: site.domain,
        allowed: `makes the stack name "${longest}" ${longest.length} characters long; CloudFormation allows at most ${MAX_STACK_NAME_LENGTH}, so use a domain at most ${site.domain.length - (longest.length - MAX_STACK_NAME_LENGTH)} characters long or a shorter stage name`,
      });
    }
    const pathPrefix = originPathPrefixFor(site.bucket.name, site.originUrlStyle);
    return {
      ...site,
      certificate: { ...site.certificate, region: site.certificate.region ?? casRegionFor(parsed.alibaba.region) },
      id,
      stage,
      dns: {
        zone,
        recordName,
        provider: site.dns.provider,
        ttlSeconds: site.dns.ttlSeconds,
        route53HostedZoneId: site.dns.route53HostedZoneId,
      },
      origin: { host: originHostFor(site.bucket.name, site.bucket.region, site.originUrlStyle), pathPrefix },
      serviceUrl: serviceUrlFor(site.domain, pathPrefix),
      stackNames,
    };
  });

  const quota = parsed.alibaba.cdnDomainQuota;
  if (sites.length > quota) {
    issues.push({
      path: 'sites',
      value: `${sites.length} sites`,
      allowed:
        `an Alibaba Cloud account may hold ${quota} CDN domains (alibaba.cdnDomainQuota; Alibaba's default is ${DEFAULT_CDN_DOMAIN_QUOTA}), so the deploy ` +
        `would fail at domain ${quota + 1}; raise the quota in Alibaba's Quota Center and set alibaba.cdnDomainQuota, or split the stage`,
    });
  }

  if (issues.length > 0) throw new ConfigError(source, issues);
  return { stage, aws: parsed.aws, alibaba: parsed.alibaba, sites };
}
