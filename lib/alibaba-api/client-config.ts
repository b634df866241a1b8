import Credential from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { S3AlicdnError } from '../errors';

// How every official Alibaba Cloud OpenAPI client of the tool (ROS, CDN, Alibaba Cloud DNS, CAS) is configured: one
// place for the region and endpoint checks, the credential chain and the timeouts.

/** What every Alibaba Cloud OpenAPI client of the tool can be told. */
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

/** Builds the `@alicloud/openapi-core` Config every client shares (ROS, CDN, Alidns, CAS). */
export function buildAlibabaClientConfig(options: AlibabaClientOptions): $OpenApiUtil.Config {
  if (!REGION_ID.test(options.regionId)) {
    throw new S3AlicdnError(
      'USAGE',
      `regionId '${options.regionId}' is not an Alibaba Cloud region id (expected e.g. 'cn-hangzhou' or 'ap-southeast-1')`,
    );
  }
  if (options.endpoint !== undefined && !ENDPOINT.test(options.endpoint)) {
    throw new S3AlicdnError(
      'USAGE',
      `endpoint '${options.endpoint}' must be a host name with an optional port, without scheme or path (e.g. 'ros-vpc.cn-hangzhou.aliyuncs.com'); set the scheme with protocol`,
    );
  }
  for (const [field, value] of [
    ['readTimeoutMs', options.readTimeoutMs],
    ['connectTimeoutMs', options.connectTimeoutMs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new S3AlicdnError('USAGE', `${field} must be a positive whole number of milliseconds, got ${value}`);
    }
  }
  return new $OpenApiUtil.Config({
    credential: options.credential ?? new Credential(),
    regionId: options.regionId,
    endpoint: options.endpoint,
    protocol: options.protocol ?? 'HTTPS',
    readTimeout: options.readTimeoutMs ?? 10_000,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
  });
}
