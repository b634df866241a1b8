import Credential from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';

/** What every Alibaba Cloud OpenAPI client in the deploy tooling can be told. */
export interface AlibabaClientOptions {
  /** Region the API is called in, e.g. `cn-hangzhou`. */
  readonly regionId: string;
  /**
   * Host (optionally `host:port`) to call instead of the SDK's per-region endpoint map, e.g. a VPC endpoint
   * (`ros-vpc.cn-hangzhou.aliyuncs.com`) or a local test double.
   * @default the official SDK's endpoint for `regionId`
   */
  readonly endpoint?: string;
  /** @default 'HTTPS' */
  readonly protocol?: 'HTTPS' | 'HTTP';
  /** @default 10000 */
  readonly readTimeoutMs?: number;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * Credential provider. The default is `@alicloud/credentials`' default chain: environment AK, OIDC role
   * (`ALIBABA_CLOUD_ROLE_ARN`/`ALIBABA_CLOUD_OIDC_PROVIDER_ARN`/`ALIBABA_CLOUD_OIDC_TOKEN_FILE`), CLI profile,
   * credentials file, ECS RAM role, credentials URI.
   * @default new Credential()
   */
  readonly credential?: Credential;
}

const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const ENDPOINT = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** Builds the `@alicloud/openapi-core` Config shared by the ROS, Alidns and CAS clients. */
export function buildAlibabaClientConfig(opts: AlibabaClientOptions): $OpenApiUtil.Config {
  if (!REGION_ID.test(opts.regionId)) {
    throw new Error(`regionId '${opts.regionId}' is not an Alibaba Cloud region id (expected e.g. 'cn-hangzhou' or 'ap-southeast-1')`);
  }
  if (opts.endpoint !== undefined && !ENDPOINT.test(opts.endpoint)) {
    throw new Error(`endpoint '${opts.endpoint}' must be a host name with an optional port, without scheme or path (e.g. 'ros-vpc.cn-hangzhou.aliyuncs.com'); set the scheme with protocol`);
  }
  for (const [field, value] of [['readTimeoutMs', opts.readTimeoutMs], ['connectTimeoutMs', opts.connectTimeoutMs]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new Error(`${field} must be a positive whole number of milliseconds, got ${value}`);
    }
  }
  return new $OpenApiUtil.Config({
    credential: opts.credential ?? new Credential(),
    regionId: opts.regionId,
    endpoint: opts.endpoint,
    protocol: opts.protocol ?? 'HTTPS',
    readTimeout: opts.readTimeoutMs ?? 10_000,
    connectTimeout: opts.connectTimeoutMs ?? 5_000,
  });
}
