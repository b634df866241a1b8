/**
 * TEST DOUBLE: the slice of the Alibaba Cloud CDN API (2018-05-10) the deploy reads back, served by the same local RPC
 * server as the ROS double and fed by what the ROS double's stacks configured (CdnFunctionState).
 *
 * DescribeCdnDomainConfigs (API reference "DescribeCdnDomainConfigs"): DomainName (one domain) required, FunctionNames
 * comma-separated and optional; answers DomainConfigs.DomainConfig[] with FunctionName, ConfigId, Status and
 * FunctionArgs.FunctionArg[] {ArgName, ArgValue}. An unknown domain answers InvalidDomain.NotFound. The reference
 * does not say whether `aws_s3_bucket`'s `secretkey` is returned masked; this double returns it masked ("******"), the
 * unkind reading, so nothing may depend on reading a secret back: the deploy compares the access key id only.
 */
import { AlibabaRpcError, type AlibabaRpcServerTestDouble } from './alibaba-rpc-server';
import type { CdnFunctionState } from './cdn-function-state';

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
  }
}
