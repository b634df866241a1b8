/**
 * TEST DOUBLE: the slice of Alibaba Cloud DNS (Alidns, API 2015-01-09) the deploy uses: the zone check of the
 * preflight, and the records of the CDN ownership verification (AddDomainRecord, DescribeSubDomainRecords,
 * DeleteDomainRecord). An unknown zone answers HTTP 400 `InvalidDomainName.NoExist`, the same record twice
 * `DomainRecordDuplicate`, as the real service does (Alidns API references and error codes).
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

export interface AlidnsRecord {
  readonly RecordId: string;
  readonly DomainName: string;
  readonly RR: string;
  readonly Type: string;
  readonly Value: string;
  readonly TTL: number;
}

export class AlidnsApiTestDouble {
  private readonly zones = new Map<string, { DomainId: string; DnsServers: string[]; edition: AlidnsEdition }>();
  /** Every record the API has added, by RecordId. */
  readonly records = new Map<string, AlidnsRecord>();
  private nextRecordId = 9_000_000_000_000_001n;

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
    // AddDomainRecord: DomainName, RR, Type, Value required, TTL optional (600 default) → RecordId.
    server.handle(
      'AddDomainRecord',
      (params) => {
        const zone = this.requireZone(params.DomainName);
        const record = { DomainName: zone, RR: (params.RR ?? '').toLowerCase(), Type: params.Type ?? '', Value: params.Value ?? '' };
        if (!record.RR || !record.Type || !record.Value)
          throw new AlibabaRpcError(400, 'MissingParameter', 'RR, Type and Value are required.');
        const same = [...this.records.values()].some(
          (existing) =>
            existing.DomainName === zone && existing.RR === record.RR && existing.Type === record.Type && existing.Value === record.Value,
        );
        if (same) throw new AlibabaRpcError(400, 'DomainRecordDuplicate', 'The DNS record already exists.');
        const RecordId = String((this.nextRecordId += 1n));
        this.records.set(RecordId, { ...record, RecordId, TTL: Number(params.TTL ?? 600) });
        return { RecordId };
      },
      '2015-01-09',
    );
    // DescribeSubDomainRecords: SubDomain (full name) required, Type and DomainName optional → DomainRecords.Record[].
    server.handle(
      'DescribeSubDomainRecords',
      (params) => {
        const name = (params.SubDomain ?? '').toLowerCase();
        const Record = [...this.records.values()].filter(
          (record) => fullNameOf(record) === name && (params.Type === undefined || record.Type === params.Type),
        );
        return { TotalCount: Record.length, DomainRecords: { Record } };
      },
      '2015-01-09',
    );
    // DeleteDomainRecord: RecordId → RecordId; an id the account does not have is DomainRecordNotBelongToUser.
    server.handle(
      'DeleteDomainRecord',
      (params) => {
        const id = params.RecordId ?? '';
        if (!this.records.delete(id))
          throw new AlibabaRpcError(400, 'DomainRecordNotBelongToUser', 'The DNS record does not belong to you.');
        return { RecordId: id };
      },
      '2015-01-09',
    );
  }

  /** The values of the records of that type at a full name (`verification.test.com`), as a resolver would answer. */
  lookup(fullName: string, type: string): string[] {
    return [...this.records.values()]
      .filter((record) => fullNameOf(record) === fullName.toLowerCase() && record.Type === type)
      .map((record) => record.Value);
  }

  private requireZone(name: string | undefined): string {
    const zone = (name ?? '').toLowerCase();
    if (!this.zones.has(zone)) {
      throw new AlibabaRpcError(
        400,
        'InvalidDomainName.NoExist',
        'The specified domain name does not exist. Refresh the page and try again.',
      );
    }
    return zone;
  }

  addZone(name: string, dnsServers = ['dns1.hichina.com', 'dns2.hichina.com'], edition: AlidnsEdition = FREE_EDITION): void {
    this.zones.set(name.toLowerCase(), { DomainId: `zone-${this.zones.size + 1}`, DnsServers: dnsServers, edition });
  }
}

function fullNameOf(record: AlidnsRecord): string {
  return record.RR === '@' ? record.DomainName : `${record.RR}.${record.DomainName}`;
}
