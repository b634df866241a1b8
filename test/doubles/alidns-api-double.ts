/**
 * TEST DOUBLE: the slice of Alibaba Cloud DNS (Alidns, API 2015-01-09) the deploy preflight reads. An unknown zone
 * answers HTTP 400 `InvalidDomainName.NoExist`, as the real service does.
 */
import { AlibabaRpcError, type AlibabaRpcServerTestDouble } from './alibaba-rpc-server';

/** A zone's Alibaba Cloud DNS edition: what DescribeDomainInfo reports of it. */
export interface AlidnsEdition {
  readonly VersionCode: string;
  readonly VersionName: string;
  /** The smallest TTL the edition accepts, in seconds. */
  readonly MinTtl: number;
}

/** The Free Edition: TTL 600-86400 (reference/alibaba-cdn-operations.md, ALIYUN::DNS::DomainRecord). */
export const FREE_EDITION: AlidnsEdition = { VersionCode: 'mianfei', VersionName: 'Alibaba Cloud DNS Free Edition', MinTtl: 600 };
export const ENTERPRISE_EDITION: AlidnsEdition = {
  VersionCode: 'version_enterprise_basic',
  VersionName: 'Alibaba Cloud DNS Enterprise Standard Edition',
  MinTtl: 60,
};

export class AlidnsApiTestDouble {
  private readonly zones = new Map<string, { DomainId: string; DnsServers: string[]; edition: AlidnsEdition }>();

  constructor(server: AlibabaRpcServerTestDouble) {
    server.handle(
      'DescribeDomainInfo',
      (params) => {
        const zone = this.zones.get((params.DomainName ?? '').toLowerCase());
        if (!zone)
          throw new AlibabaRpcError(
            400,
            'InvalidDomainName.NoExist',
            'The specified domain name does not exist. Refresh the page and try again.',
          );
        return {
          DomainName: params.DomainName,
          DomainId: zone.DomainId,
          DnsServers: { DnsServer: zone.DnsServers },
          CreateTime: '2025-01-01T00:00Z',
          VersionCode: zone.edition.VersionCode,
          VersionName: zone.edition.VersionName,
          // DescribeDomainInfo (Alidns API 2015-01-09): MinTtl and the other detail attributes come back only when
          // NeedDetailAttributes is true; the default is false.
          ...(params.NeedDetailAttributes === 'true' ? { MinTtl: zone.edition.MinTtl } : {}),
        };
      },
      '2015-01-09',
    );
  }

  addZone(name: string, dnsServers = ['dns1.hichina.com', 'dns2.hichina.com'], edition: AlidnsEdition = FREE_EDITION): void {
    this.zones.set(name.toLowerCase(), { DomainId: `zone-${this.zones.size + 1}`, DnsServers: dnsServers, edition });
  }
}
