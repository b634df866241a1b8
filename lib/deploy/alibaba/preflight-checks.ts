import * as $Alidns from '@alicloud/alidns20150109';
import * as $Cas from '@alicloud/cas20200407';
import { AlibabaApiError } from './api-error';
import { coveringName, certificateNames, validUntilMs } from './certificate-coverage';
import { Clock } from './clock';
import { AlidnsClient, CasClient } from './preflight-clients';
import { RetryPolicy, withRetry } from './retry';

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

/** The DNS zone the CNAME goes into must be hosted in this account's Alibaba Cloud DNS. */
export async function checkAlidnsZone(opts: { client: AlidnsClient; zoneName: string } & CallOptions): Promise<PreflightCheckResult> {
  const check = 'alibaba-dns-zone';
  const zone = opts.zoneName.trim().toLowerCase().replace(/\.$/, '');
  try {
    const res = await withRetry({ service: 'Alidns', action: 'DescribeDomainInfo', target: `zone '${zone}'` },
      () => opts.client.describeDomainInfo(new $Alidns.DescribeDomainInfoRequest({ domainName: zone })),
      { policy: opts.retry, clock: opts.clock });
    const servers = res.body?.dnsServers?.dnsServer ?? [];
    return {
      ok: true, check,
      message: `DNS zone '${zone}' exists in Alibaba Cloud DNS${servers.length > 0 ? ` (name servers: ${servers.join(', ')})` : ''}`,
    };
  } catch (err) {
    if (err instanceof AlibabaApiError && err.code === 'InvalidDomainName.NoExist') {
      return {
        ok: false, check,
        message: `DNS zone '${zone}' does not exist in this account's Alibaba Cloud DNS (${err.code})`,
        fix: `Add '${zone}' in the Alibaba Cloud DNS console (or with the AddDomain API) and delegate it to the name servers shown there, or configure a zone this account already hosts.`,
      };
    }
    return apiFailure(check, err, 'alidns:DescribeDomainInfo');
  }
}

/**
 * The CAS certificate the CDN will serve must exist, name the service domain (common name, SAN, or a single-label
 * wildcard) and stay valid for `minValidDays` more days. Asks for the details with CertFilter=true, so the private
 * key is never sent back.
 */
export async function checkCasCertificate(opts: {
  client: CasClient; certId: number; serviceDomain: string; now?: Date; minValidDays?: number;
} & CallOptions): Promise<PreflightCheckResult> {
  const check = 'alibaba-cas-certificate';
  const minDays = opts.minValidDays ?? 30;
  if (!Number.isSafeInteger(opts.certId) || opts.certId <= 0) {
    return { ok: false, check, message: `certificate id ${opts.certId} is not a CAS certificate id (a positive whole number)`, fix: 'Set the CAS certificate id shown in the Certificate Management Service console.' };
  }
  let body: $Cas.GetUserCertificateDetailResponseBody | undefined;
  try {
    const res = await withRetry({ service: 'CAS', action: 'GetUserCertificateDetail', target: `certificate ${opts.certId}` },
      () => opts.client.getUserCertificateDetail(new $Cas.GetUserCertificateDetailRequest({ certId: opts.certId, certFilter: true })),
      { policy: opts.retry, clock: opts.clock });
    body = res.body;
  } catch (err) {
    if (err instanceof AlibabaApiError && (err.statusCode === 404 || /not ?found|not ?exist/i.test(err.code))) body = undefined;
    else return apiFailure(check, err, 'yundun-cert:GetUserCertificateDetail (CAS read access)');
  }
  if (!body?.id) {
    return {
      ok: false, check,
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
      ok: false, check,
      message: `${label} covers ${names.length > 0 ? names.join(', ') : 'no domain names'} but not '${opts.serviceDomain}'`,
      fix: `Use a certificate whose common name or SANs include '${opts.serviceDomain}' (or a wildcard one level above it).`,
    };
  }
  const until = validUntilMs(facts);
  const now = (opts.now ?? new Date()).getTime();
  if (until === undefined) {
    // The `Expired` flag is the service's wall-clock view; dates (against `now`) decide whenever they are given.
    return body.expired
      ? { ok: false, check, message: `${label} has expired`, fix: 'Renew or replace the certificate in CAS and configure the new certificate id.' }
      : { ok: false, check, message: `${label} reports no expiry date`, fix: 'Check the certificate in the Certificate Management Service console.' };
  }
  const day = new Date(until).toISOString().slice(0, 10);
  const daysLeft = Math.floor((until - now) / DAY_MS);
  if (until <= now) {
    return { ok: false, check, message: `${label} expired on ${day}`, fix: 'Renew or replace the certificate in CAS and configure the new certificate id.' };
  }
  if (until - now < minDays * DAY_MS) {
    return { ok: false, check, message: `${label} expires on ${day}, in ${daysLeft} day(s), less than the required ${minDays}`, fix: 'Renew or replace the certificate in CAS and configure the new certificate id.' };
  }
  return { ok: true, check, message: `${label} covers '${opts.serviceDomain}' (as ${covering}) and is valid until ${day} (${daysLeft} days)` };
}

function apiFailure(check: string, err: unknown, permission: string): PreflightCheckResult {
  const message = err instanceof AlibabaApiError ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
  const denied = err instanceof AlibabaApiError && /Forbidden|NoPermission|AccessDenied/i.test(err.code);
  return {
    ok: false, check, message,
    fix: denied ? `Grant the deploying identity ${permission}.` : 'Check the credentials, the region and the network, then run the command again.',
  };
}
