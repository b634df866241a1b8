import CdnClient, * as $CDN from '@alicloud/cdn20180510';
import { buildAlibabaClientConfig, isApiError, withRetry, type AlibabaClientOptions, type RetryOptions } from '../../alibaba-api';

/*
 * What the CDN really has configured on a domain, read back through the CDN API (2018-05-10), so the deploy can prove
 * a change reached the CDN instead of trusting a change set's claim. DescribeCdnDomainConfigs (API reference
 * "DescribeCdnDomainConfigs"; 100 calls per second per account): DomainName (one domain), FunctionNames
 * (comma-separated), answers DomainConfigs.DomainConfig[] with FunctionName, ConfigId, Status and FunctionArgs.
 * The reference does not say whether a secret argument (aws_s3_bucket's `secretkey`) comes back masked, so nothing
 * here reads a secret back: callers compare identifiers (an access key id) only.
 */

export { CdnClient };

/** The official CDN client. The API is global; the region only picks the SDK's endpoint. */
export function createCdnClient(options: AlibabaClientOptions): CdnClient {
  return new CdnClient(buildAlibabaClientConfig(options));
}

export interface CdnFunctionReader {
  /**
   * The arguments of the domain's function of that name, by argument name; undefined when the domain has no such
   * function, or when the CDN does not have the domain at all (not deployed yet, or deleted).
   */
  functionArgs(domain: string, functionName: string): Promise<Readonly<Record<string, string>> | undefined>;
}

export function cdnFunctionReader(client: CdnClient, retry: RetryOptions = {}): CdnFunctionReader {
  return {
    async functionArgs(domain, functionName) {
      let response: $CDN.DescribeCdnDomainConfigsResponse;
      try {
        response = await withRetry(
          { service: 'CDN', action: 'DescribeCdnDomainConfigs', target: `domain '${domain}'` },
          () =>
            client.describeCdnDomainConfigs(new $CDN.DescribeCdnDomainConfigsRequest({ domainName: domain, functionNames: functionName })),
          retry,
        );
      } catch (error) {
        if (isApiError(error, 'InvalidDomain.NotFound')) return undefined;
        throw error;
      }
      const config = response.body?.domainConfigs?.domainConfig?.find((candidate) => candidate.functionName === functionName);
      if (!config) return undefined;
      return Object.fromEntries((config.functionArgs?.functionArg ?? []).map((arg) => [arg.argName ?? '', arg.argValue ?? '']));
    },
  };
}
