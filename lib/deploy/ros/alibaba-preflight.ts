import { readFileSync } from 'node:fs';
import AlidnsClient, * as $Alidns from '@alicloud/alidns20150109';
import CasClient, * as $Cas from '@alicloud/cas20200407';
import Credential from '@alicloud/credentials';
import {
  AlibabaApiError,
  type AlibabaClientOptions,
  buildAlibabaClientConfig,
  type Clock,
  type RetryPolicy,
  withRetry,
} from '../../alibaba-api';

export { AlidnsClient, CasClient };

// The Alibaba Cloud checks a deploy runs before it changes anything: which credentials it would use, that the DNS
// zone is hosted in the account, and that the CAS certificate covers the domain for long enough.

/** Alibaba Cloud DNS (2015-01-09). The zone check is region independent; `cn-hangzhou` is the usual choice. */
export function createAlidnsClient(options: AlibabaClientOptions): AlidnsClient {
  return new AlidnsClient(buildAlibabaClientConfig(options));
}

/**
 * Certificate Management Service (2020-04-07). Certificates live per site: `cn-hangzhou` for China-site accounts,
 * `ap-southeast-1` for international-site accounts (the same split as SetCdnDomainSSLCertificate's CertRegion).
 */
export function createCasClient(options: AlibabaClientOptions): CasClient {
  return new CasClient(buildAlibabaClientConfig(options));
}

export type AlibabaCredentialVerdict =
  | {
      readonly ok: true;
      /** Provider in `@alicloud/credentials`' chain that answered: env, oidc_role_arn, cli_profile, profile, ecs_ram_role, ... */
      readonly provider: string;
      /** Where that provider read from, for a human. */
      readonly source: string;
      /** First and last characters of the AccessKey ID (never the secret), to tell accounts apart. */
      readonly accessKeyIdHint: string;
    }
  | { readonly ok: false; readonly message: string; readonly fix: string };

const SOURCES: Record<string, string> = {
  env: 'environment variables ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  oidc_role_arn: 'OIDC role ALIBABA_CLOUD_ROLE_ARN with the token in ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  cli_profile: 'Alibaba Cloud CLI profile (~/.aliyun/config.json)',
  profile: 'credentials file (ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials)',
  ecs_ram_role: 'ECS instance RAM role (instance metadata)',
  credential_uri: 'ALIBABA_CLOUD_CREDENTIALS_URI',
  ram_role_arn: 'RAM role assumed with another credential (ram_role_arn)',
  static_ak: 'static AccessKey passed in',
  static_sts: 'static STS token passed in',
};

const FIX_ANY =
  'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or (CI with OIDC) ALIBABA_CLOUD_ROLE_ARN, ' +
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE, or configure a profile with `aliyun configure`.';
const OIDC_VARS = ['ALIBABA_CLOUD_ROLE_ARN', 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE'] as const;

/**
 * Which Alibaba Cloud credentials a deploy would use, as a verdict for the deploy preflight: the provider and a
 * hint of the key id, or a one-line reason with the fix. Reads the same default chain the SDK clients use.
 * Nothing secret is returned, and the chain's own error texts are not passed on (some quote config file content).
 */
export async function resolveAlibabaCredentials(
  opts: { credential?: Credential; timeoutMs?: number } = {},
): Promise<AlibabaCredentialVerdict> {
  if (!opts.credential) {
    const misconfigured = checkEnvironment(process.env);
    if (misconfigured) return misconfigured;
  }
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const credential = opts.credential ?? new Credential();
    const model = await Promise.race([
      credential.getCredential(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new TimeoutError()), timeoutMs);
      }),
    ]);
    const provider = (model.providerName ?? model.type ?? 'unknown').split('/').filter((part) => part !== 'default')[0] ?? 'unknown';
    if (model.type !== 'bearer' && (!model.accessKeyId || !model.accessKeySecret)) {
      return {
        ok: false,
        message: `Alibaba Cloud credentials from ${SOURCES[provider] ?? provider} have no AccessKey ID or secret`,
        fix: FIX_ANY,
      };
    }
    return { ok: true, provider, source: SOURCES[provider] ?? provider, accessKeyIdHint: hint(model.accessKeyId ?? '') };
  } catch (error) {
    if (error instanceof TimeoutError) {
      return {
        ok: false,
        message: `resolving Alibaba Cloud credentials took longer than ${Math.round(timeoutMs / 1000)}s (the chain may be waiting for the ECS metadata service)`,
        fix: `${FIX_ANY} Outside ECS, set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true.`,
      };
    }
    if (!opts.credential && OIDC_VARS.every((name) => process.env[name])) {
      return {
        ok: false,
        message: `assuming RAM role ${process.env.ALIBABA_CLOUD_ROLE_ARN} with the OIDC token failed`,
        fix: 'Check that the role trusts the OIDC provider ALIBABA_CLOUD_OIDC_PROVIDER_ARN names (and the token audience), and that the STS endpoint is reachable.',
      };
    }
    return {
      ok: false,
      message: opts.credential
        ? 'the Alibaba Cloud credential provider passed in gave no credentials'
        : 'no Alibaba Cloud credentials found (tried environment variables, OIDC role, CLI profile, credentials file, ECS RAM role, credentials URI)',
      fix: FIX_ANY,
    };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

class TimeoutError extends Error {}

/** Half-set variables make the chain skip a source silently; say which one instead. */
function checkEnvironment(env: NodeJS.ProcessEnv): AlibabaCredentialVerdict | undefined {
  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (id && !secret) {
    return {
      ok: false,
      message: 'ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not',
      fix: 'Set ALIBABA_CLOUD_ACCESS_KEY_SECRET too, or unset ALIBABA_CLOUD_ACCESS_KEY_ID to use another source.',
    };
  }
  if (!id && secret) {
    return {
      ok: false,
      message: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not',
      fix: 'Set ALIBABA_CLOUD_ACCESS_KEY_ID too, or unset ALIBABA_CLOUD_ACCESS_KEY_SECRET.',
    };
  }
  if (id) return undefined;
  const setOidc = OIDC_VARS.filter((name) => env[name]);
  if (setOidc.length > 0 && setOidc.length < OIDC_VARS.length) {
    const missing = OIDC_VARS.filter((name) => !env[name]);
    return {
      ok: false,
      message: `OIDC credentials are half configured: ${setOidc.join(', ')} set, ${missing.join(', ')} missing`,
      fix: `Set ${missing.join(' and ')} (all three are needed for the OIDC role), or unset the others.`,
    };
  }
  if (setOidc.length === OIDC_VARS.length) {
    const file = env.ALIBABA_CLOUD_OIDC_TOKEN_FILE!;
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch {
      return {
        ok: false,
        message: `ALIBABA_CLOUD_OIDC_TOKEN_FILE '${file}' cannot be read`,
        fix: 'Point ALIBABA_CLOUD_OIDC_TOKEN_FILE at the OIDC token your CI writes (e.g. the GitHub Actions id-token), and write it before the deploy step.',
      };
    }
    if (token === '') {
      return {
        ok: false,
        message: `ALIBABA_CLOUD_OIDC_TOKEN_FILE '${file}' is empty`,
        fix: 'Write the OIDC token to that file before the deploy step.',
      };
    }
  }
  return undefined;
}

function hint(accessKeyId: string): string {
  return accessKeyId.length <= 8 ? '****' : `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-4)}`;
}

/** One preflight verdict; the deploy preflight prints these and stops on the first `ok: false`. */
export interface PreflightCheckResult {
  readonly ok: boolean;
  readonly check: string;
  readonly message: string;
  readonly fix?: string;
}

interface CallOptions {
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: Pick<Clock, 'sleep'>;
}

const DAY_MS = 86_400_000;

/**
 * Alibaba Cloud DNS Free Edition (VersionCode `mianfei`) accepts TTLs from 600 to 86400 seconds; paid editions go
 * lower. DescribeDomainInfo returns the zone's own `MinTtl` only when asked with NeedDetailAttributes=true (Alibaba
 * Cloud DNS API 2015-01-09, DescribeDomainInfo); this is the fallback when it does not.
 */
export const FREE_EDITION_MIN_TTL_SECONDS = 600;
const FREE_EDITION_VERSION_CODE = 'mianfei';

/**
 * The DNS zone the CNAME goes into must be hosted in this account's Alibaba Cloud DNS, and its edition must accept the
 * configured TTL: otherwise the DNS record fails inside the ROS stack, after the CDN domain was already created.
 */
export async function checkAlidnsZone(
  opts: { client: AlidnsClient; zoneName: string; ttlSeconds?: number } & CallOptions,
): Promise<PreflightCheckResult> {
  const check = 'alibaba-dns-zone';
  const zone = opts.zoneName.trim().toLowerCase().replace(/\.$/, '');
  try {
    const res = await withRetry(
      { service: 'Alidns', action: 'DescribeDomainInfo', target: `zone '${zone}'` },
      () => opts.client.describeDomainInfo(new $Alidns.DescribeDomainInfoRequest({ domainName: zone, needDetailAttributes: true })),
      { policy: opts.retry, clock: opts.clock },
    );
    const servers = res.body?.dnsServers?.dnsServer ?? [];
    const minTtl = res.body?.minTtl ?? (res.body?.versionCode === FREE_EDITION_VERSION_CODE ? FREE_EDITION_MIN_TTL_SECONDS : undefined);
    if (opts.ttlSeconds !== undefined && minTtl !== undefined && opts.ttlSeconds < minTtl) {
      const edition = res.body?.versionName ?? res.body?.versionCode ?? 'its edition';
      return {
        ok: false,
        check,
        message: `DNS zone '${zone}' (${edition}) accepts a TTL of at least ${minTtl} seconds, but dns.ttlSeconds is ${opts.ttlSeconds}`,
        fix: `Set dns.ttlSeconds to ${minTtl} or more (the Free Edition's minimum is ${FREE_EDITION_MIN_TTL_SECONDS}), or upgrade the zone's Alibaba Cloud DNS edition.`,
      };
    }
    return {
      ok: true,
      check,
      message: `DNS zone '${zone}' exists in Alibaba Cloud DNS${servers.length > 0 ? ` (name servers: ${servers.join(', ')})` : ''}`,
    };
  } catch (error) {
    if (error instanceof AlibabaApiError && error.apiCode === 'InvalidDomainName.NoExist') {
      return {
        ok: false,
        check,
        message: `DNS zone '${zone}' does not exist in this account's Alibaba Cloud DNS (${error.apiCode})`,
        fix: `Add '${zone}' in the Alibaba Cloud DNS console (or with the AddDomain API) and delegate it to the name servers shown there, or configure a zone this account already hosts.`,
      };
    }
    return apiFailure(check, error, 'alidns:DescribeDomainInfo');
  }
}

/**
 * The CAS certificate the CDN will serve must exist, name the service domain (common name, SAN, or a single-label
 * wildcard) and stay valid for `minValidDays` more days. Asks for the details with CertFilter=true, so the private
 * key is never sent back.
 */
export async function checkCasCertificate(
  opts: {
    client: CasClient;
    certId: number;
    serviceDomain: string;
    now?: Date;
    minValidDays?: number;
  } & CallOptions,
): Promise<PreflightCheckResult> {
  const check = 'alibaba-cas-certificate';
  const minDays = opts.minValidDays ?? 30;
  if (!Number.isSafeInteger(opts.certId) || opts.certId <= 0) {
    return {
      ok: false,
      check,
      message: `certificate id ${opts.certId} is not a CAS certificate id (a positive whole number)`,
      fix: 'Set the CAS certificate id shown in the Certificate Management Service console.',
    };
  }
  let body: $Cas.GetUserCertificateDetailResponseBody | undefined;
  try {
    const res = await withRetry(
      { service: 'CAS', action: 'GetUserCertificateDetail', target: `certificate ${opts.certId}` },
      () => opts.client.getUserCertificateDetail(new $Cas.GetUserCertificateDetailRequest({ certId: opts.certId, certFilter: true })),
      { policy: opts.retry, clock: opts.clock },
    );
    body = res.body;
  } catch (error) {
    // Only an answer from CAS can say "not found". A failed DNS lookup (ENOTFOUND) is the network, not the certificate.
    if (
      error instanceof AlibabaApiError &&
      !isNetworkFailure(error) &&
      (error.statusCode === 404 || /not ?found|not ?exist/i.test(error.apiCode))
    )
      body = undefined;
    else return apiFailure(check, error, 'yundun-cert:GetUserCertificateDetail (CAS read access)');
  }
  if (!body?.id) {
    return {
      ok: false,
      check,
      message: `CAS certificate ${opts.certId} was not found for this account in the client's region`,
      fix: 'Check the certificate id; certificates are listed per site in the Certificate Management Service console (cn-hangzhou for China-site accounts, ap-southeast-1 for international ones). Upload the certificate there if it is missing.',
    };
  }
  const label = `CAS certificate ${opts.certId}${body.name ? ` ('${body.name}')` : ''}`;
  const facts = { common: body.common, sans: body.sans, notAfter: body.notAfter, endDate: body.endDate };
  const covering = coveringName(facts, opts.serviceDomain);
  if (!covering) {
    const names = certificateNames(facts);
    return {
      ok: false,
      check,
      message: `${label} covers ${names.length > 0 ? names.join(', ') : 'no domain names'} but not '${opts.serviceDomain}'`,
      fix: `Use a certificate whose common name or SANs include '${opts.serviceDomain}' (or a wildcard one level above it).`,
    };
  }
  const until = validUntilMs(facts);
  const now = (opts.now ?? new Date()).getTime();
  if (until === undefined) {
    // The `Expired` flag is the service's wall-clock view; dates (against `now`) decide whenever they are given.
    return body.expired
      ? {
          ok: false,
          check,
          message: `${label} has expired`,
          fix: 'Renew or replace the certificate in CAS and configure the new certificate id.',
        }
      : {
          ok: false,
          check,
          message: `${label} reports no expiry date`,
          fix: 'Check the certificate in the Certificate Management Service console.',
        };
  }
  const day = new Date(until).toISOString().slice(0, 10);
  const daysLeft = Math.floor((until - now) / DAY_MS);
  if (until <= now) {
    return {
      ok: false,
      check,
      message: `${label} expired on ${day}`,
      fix: 'Renew or replace the certificate in CAS and configure the new certificate id.',
    };
  }
  if (until - now < minDays * DAY_MS) {
    return {
      ok: false,
      check,
      message: `${label} expires on ${day}, in ${daysLeft} day(s), less than the required ${minDays}`,
      fix: 'Renew or replace the certificate in CAS and configure the new certificate id.',
    };
  }
  return {
    ok: true,
    check,
    message: `${label} covers '${opts.serviceDomain}' (as ${covering}) and is valid until ${day} (${daysLeft} days)`,
  };
}

/** No answer came back: a DNS lookup, connection or timeout failure on the way to the API endpoint. */
function isNetworkFailure(error: AlibabaApiError): boolean {
  return error.kind === 'network' || error.kind === 'timeout';
}

function apiFailure(check: string, failure: unknown, permission: string): PreflightCheckResult {
  if (failure instanceof AlibabaApiError && isNetworkFailure(failure)) {
    return {
      ok: false,
      check,
      message: `network: could not reach the Alibaba Cloud ${failure.service} API (${failure.apiCode}${failure.attempts > 1 ? `, ${failure.attempts} attempts` : ''}), so nothing was checked`,
      fix: 'Check the network connection, DNS, a proxy (HTTPS_PROXY) or a firewall on the way to *.aliyuncs.com, then run the command again.',
    };
  }
  const message =
    failure instanceof AlibabaApiError ? failure.message : `unexpected error: ${(failure as Error)?.message ?? String(failure)}`;
  const denied = failure instanceof AlibabaApiError && /Forbidden|NoPermission|AccessDenied/i.test(failure.apiCode);
  return {
    ok: false,
    check,
    message,
    fix: denied
      ? `Grant the deploying identity ${permission}.`
      : 'Check the credentials, the region and the network, then run the command again.',
  };
}

/** What a certificate covers and until when, from CAS GetUserCertificateDetail fields. */
export interface CertificateFacts {
  /** `Common`: the primary domain. */
  readonly common?: string;
  /** `Sans`: all bound domain names, comma-separated. */
  readonly sans?: string;
  /** `NotAfter`: end of validity, epoch milliseconds. */
  readonly notAfter?: number;
  /** `EndDate`: `YYYY-MM-DD`, used when NotAfter is absent or implausible. */
  readonly endDate?: string;
}

export function certificateNames(certificate: CertificateFacts): string[] {
  const all = [certificate.common ?? '', ...(certificate.sans ?? '').split(',')].map(normalize).filter((name) => name !== '');
  return [...new Set(all)];
}

/** Exact name, or a wildcard `*.example.com` that stands for exactly one more label (not the apex, not two). */
export function nameCovers(certName: string, domain: string): boolean {
  const name = normalize(certName);
  const host = normalize(domain);
  if (name === host) return true;
  if (!name.startsWith('*.')) return false;
  const firstDot = host.indexOf('.');
  return firstDot > 0 && host.slice(firstDot + 1) === name.slice(2);
}

export function coveringName(certificate: CertificateFacts, domain: string): string | undefined {
  return certificateNames(certificate).find((name) => nameCovers(name, domain));
}

/** End of validity in epoch ms. The API example shows an extra digit, so only plausible values are trusted. */
export function validUntilMs(certificate: CertificateFacts): number | undefined {
  const { notAfter, endDate } = certificate;
  if (typeof notAfter === 'number' && Number.isFinite(notAfter)) {
    if (notAfter >= 1e11 && notAfter < 1e13) return notAfter;
    if (notAfter >= 1e8 && notAfter < 1e11) return notAfter * 1000;
  }
  if (endDate && /^\d{4}-\d{2}-\d{2}$/.test(endDate)) {
    // Start of that day, UTC: the earliest the certificate may stop working.
    return Date.parse(`${endDate}T00:00:00Z`);
  }
  return undefined;
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
