/**
 * TEST DOUBLE: the slice of Alibaba Cloud DNS (Alidns, API 2015-01-09) the deploy preflight reads. An unknown zone
 * answers HTTP 400 `InvalidDomainName.NoExist`, as the real service does.
 */
import { AlibabaRpcError, type AlibabaRpcServerTestDouble } from './alibaba-rpc-server';

export class AlidnsApiTestDouble {
  private readonly zones = new Map<string, { DomainId: string; DnsServers: string[] }>();

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
          VersionCode: 'mianfei',
          VersionName: 'Alibaba Cloud DNS Free Edition',
        };
      },
      '2015-01-09',
    );
  }

  addZone(name: string, dnsServers = ['dns1.hichina.com', 'dns2.hichina.com']): void {
    this.zones.set(name.toLowerCase(), { DomainId: `zone-${this.zones.size + 1}`, DnsServers: dnsServers });
  }
}
