import AlidnsClient from '@alicloud/alidns20150109';
import CasClient from '@alicloud/cas20200407';
import { AlibabaClientOptions, buildAlibabaClientConfig } from './client-config';

export { AlidnsClient, CasClient };

/** Alibaba Cloud DNS (2015-01-09). The zone check is region independent; `cn-hangzhou` is the usual choice. */
export function createAlidnsClient(opts: AlibabaClientOptions): AlidnsClient {
  return new AlidnsClient(buildAlibabaClientConfig(opts));
}

/**
 * Certificate Management Service (2020-04-07). Certificates live per site: `cn-hangzhou` for China-site accounts,
 * `ap-southeast-1` for international-site accounts (the same split as SetCdnDomainSSLCertificate's CertRegion).
 */
export function createCasClient(opts: AlibabaClientOptions): CasClient {
  return new CasClient(buildAlibabaClientConfig(opts));
}
