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

export function certificateNames(c: CertificateFacts): string[] {
  const all = [c.common ?? '', ...(c.sans ?? '').split(',')].map(normalize).filter((n) => n !== '');
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

export function coveringName(c: CertificateFacts, domain: string): string | undefined {
  return certificateNames(c).find((n) => nameCovers(n, domain));
}

/** End of validity in epoch ms. The API example shows an extra digit, so only plausible values are trusted. */
export function validUntilMs(c: CertificateFacts): number | undefined {
  if (typeof c.notAfter === 'number' && Number.isFinite(c.notAfter)) {
    if (c.notAfter >= 1e11 && c.notAfter < 1e13) return c.notAfter;
    if (c.notAfter >= 1e8 && c.notAfter < 1e11) return c.notAfter * 1000;
  }
  if (c.endDate && /^\d{4}-\d{2}-\d{2}$/.test(c.endDate)) {
    // Start of that day, UTC: the earliest the certificate may stop working.
    return Date.parse(`${c.endDate}T00:00:00Z`);
  }
  return undefined;
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
