/**
 * TEST DOUBLE: the slice of the Alibaba Cloud CDN API (2018-05-10) the deploy reads back and the first-time domain
 * set-up (ownership verification, review status; see CdnFunctionState for the documented behaviours), served by the same local RPC
 * server as the ROS double and fed by what the ROS double's stacks configured (CdnFunctionState).
 *
 * DescribeCdnDomainConfigs (API reference "DescribeCdnDomainConfigs"): DomainName (one domain) required, FunctionNames
 * comma-separated and optional; answers DomainConfigs.DomainConfig[] with FunctionName, ConfigId, Status and
 * FunctionArgs.FunctionArg[] {ArgName, ArgValue}. An unknown domain answers InvalidDomain.NotFound. The reference
 * does not say whether `aws_s3_bucket`'s `secretkey` is returned masked; this double returns it masked ("******"), the
 * unkind reading, so nothing may depend on reading a secret back: the deploy compares the access key id only.
 */
import { AlibabaRpcError, type AlibabaRpcServerTestDouble } from './alibaba-rpc-server';
import { CdnApiFault, type CdnFunctionState } from './cdn-function-state';

const CDN_API_VERSION = '2018-05-10';
const MASKED_ARGS = new Set(['secretkey']);

export class CdnDomainConfigsTestDouble {
  constructor(
    server: AlibabaRpcServerTestDouble,
    private readonly state: CdnFunctionState,
  ) {
    server.handle(
      'DescribeCdnDomainConfigs',
      (params) => {
        const domain = params.DomainName ?? '';
        const functions = this.state.domains.get(domain);
        if (!functions) throw new AlibabaRpcError(400, 'InvalidDomain.NotFound', 'The specified domain does not exist.');
        const wanted = (params.FunctionNames ?? '')
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
        const DomainConfig = [...functions.values()]
          .filter((fn) => wanted.length === 0 || wanted.includes(fn.functionName))
          .map((fn) => ({
            FunctionName: fn.functionName,
            ConfigId: fn.configId,
            Status: 'success',
            FunctionArgs: {
              FunctionArg: fn.args.map((arg) => ({
                ArgName: arg.ArgName,
                ArgValue: MASKED_ARGS.has(arg.ArgName) ? '******' : arg.ArgValue,
              })),
            },
          }));
        return { DomainConfigs: { DomainConfig } };
      },
      CDN_API_VERSION,
    );
    // DescribeCdnDomainDetail (API reference): DomainName (one) → GetDomainDetailModel {DomainName, Cname, DomainStatus,
    // ...}; an unknown domain is InvalidDomain.NotFound (404).
    server.handle(
      'DescribeCdnDomainDetail',
      (params) => {
        const domain = params.DomainName ?? '';
        const status = this.state.readStatus(domain);
        if (!status) throw new AlibabaRpcError(404, 'InvalidDomain.NotFound', 'The domain provided does not belong to you.');
        return { GetDomainDetailModel: { DomainName: domain, Cname: `${domain}.w.kunlunsl.com`, DomainStatus: status, CdnType: 'web' } };
      },
      CDN_API_VERSION,
    );
    // DescribeUserDomains (API reference): DomainName matched fuzzily by default (DomainSearchType fuzzy_match), PageSize
    // 1-50 (default 20), answers Domains.PageData[] {DomainName, DomainStatus, Cname, ...} and TotalCount.
    server.handle(
      'DescribeUserDomains',
      (params) => {
        const pageSize = Number(params.PageSize ?? 20);
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) {
          throw new AlibabaRpcError(400, 'InvalidParameter', 'PageSize must be between 1 and 50.');
        }
        const pageNumber = Math.max(1, Number(params.PageNumber ?? 1));
        const needle = (params.DomainName ?? '').toLowerCase();
        const exact = params.DomainSearchType === 'full_match';
        const all = [...this.state.status.entries()]
          .filter(([domain]) => needle === '' || (exact ? domain === needle : domain.includes(needle)))
          .map(([domain, status]) => ({ DomainName: domain, DomainStatus: status, Cname: `${domain}.w.kunlunsl.com`, CdnType: 'web' }));
        return {
          Domains: { PageData: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize) },
          TotalCount: all.length,
          PageNumber: pageNumber,
          PageSize: pageSize,
        };
      },
      CDN_API_VERSION,
    );
    // DescribeVerifyContent (API reference): DomainName (one) → Content, the TXT value ("verify_<hex>").
    server.handle('DescribeVerifyContent', (params) => ({ Content: this.state.verifyContent(params.DomainName ?? '') }), CDN_API_VERSION);
    // VerifyDomainOwner (API reference): DomainName (one), VerifyType dnsCheck | fileCheck (required). Passing returns
    // no Content; failing is DomainOwnerVerifyFail (400). File verification needs a web server on the root domain,
    // which a deploy does not have: the double refuses it as a failed check (InvalidFile, "The file is not found.").
    server.handle(
      'VerifyDomainOwner',
      (params) => {
        if (params.VerifyType !== 'dnsCheck' && params.VerifyType !== 'fileCheck') {
          throw new AlibabaRpcError(400, 'InvalidParameter', 'VerifyType must be dnsCheck or fileCheck.');
        }
        if (params.VerifyType === 'fileCheck') throw new AlibabaRpcError(400, 'InvalidFile', 'The file is not found.');
        try {
          this.state.verifyOwner(params.DomainName ?? '');
        } catch (error) {
          if (error instanceof CdnApiFault) throw new AlibabaRpcError(error.status, error.code, error.message.replace(/^[^:]+: /, ''));
          throw error;
        }
        return {};
      },
      CDN_API_VERSION,
    );
  }
}
