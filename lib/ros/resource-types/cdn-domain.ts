import type * as ros from '@alicloud/ros-cdk-core';
import { requireOneOf, requireString, requireValue, RosPropertyError, isToken } from './property-checks';
import { dropUndefined, TypedRosResource } from './typed-ros-resource';

/** One origin server, as `ALIYUN::CDN::Domain.OriginServers` items (PascalCase in the template). */
export interface CdnOriginServer {
  /** `domain` for an S3 REST host. */
  readonly type: 'ipaddr' | 'domain' | 'oss' | 'fc_domain';
  readonly content: string | ros.IResolvable;
  /** 443 makes the CDN talk HTTPS to the origin. */
  readonly port?: number;
  /** "20" primary, "30" secondary. */
  readonly priority?: '20' | '30';
  /** "0".."100". */
  readonly weight?: string;
}

export interface RosCdnDomainProps {
  readonly cdnType: 'web' | 'download' | 'video' | 'liveStream';
  readonly domainName: string | ros.IResolvable;
  /**
   * Origins as the `OriginServers` list. ROS documents `OriginServers` as NOT editable: changing it replaces (deletes
   * and re-adds) the domain, which restarts Alibaba's review. Kept only for stacks deployed before `sources`; new
   * templates use `sources`. Takes priority over `Sources` when both are set; at most 20.
   */
  readonly originServers?: readonly CdnOriginServer[];
  /**
   * Origins as the JSON-string `Sources` (lower-case keys), which ROS documents as editable: a change is applied to
   * the live domain in place (ModifyCdnDomain). Source: ROS resource reference "ALIYUN::CDN::Domain"
   * (alibabacloud.com/help/doc-detail/112421.htm, Sources: Editable Yes; OriginServers: Editable No) and CDN API
   * "ModifyCdnDomain" (Sources syntax `[{"content":..,"type":..,"priority":"20","port":443,"weight":"10"}]`).
   */
  readonly sources?: readonly CdnOriginServer[];
  /** domestic (ROS default) needs an ICP filing; overseas does not. */
  readonly scope?: 'domestic' | 'overseas' | 'global';
  readonly checkUrl?: string;
  readonly resourceGroupId?: string;
  readonly tags?: ReadonlyArray<{ readonly key: string; readonly value?: string }>;
}

const TYPE = 'ALIYUN::CDN::Domain';
const ORIGIN_TYPES = ['ipaddr', 'domain', 'oss', 'fc_domain'] as const;

/**
 * `ALIYUN::CDN::Domain`, declared here because `@alicloud/ros-cdk-cdn` is not on the registry this project installs
 * from. Same constructor shape and attribute names as the generated class there, so it can be swapped in later.
 */
export class RosCdnDomain extends TypedRosResource<RosCdnDomainProps> {
  public static readonly ROS_RESOURCE_TYPE_NAME = TYPE;
  /** The CNAME that the service domain's DNS record must point at. */
  public readonly attrCname: ros.IResolvable;
  public readonly attrDomainName: ros.IResolvable;
  public readonly attrArn: ros.IResolvable;

  constructor(scope: ros.Construct, id: string, props: RosCdnDomainProps) {
    super(scope, id, TYPE, props);
    validateDomainProps(props);
    this.attrCname = this.getAtt('Cname');
    this.attrDomainName = this.getAtt('DomainName');
    this.attrArn = this.getAtt('Arn');
  }

  protected templateProperties(props: RosCdnDomainProps): Record<string, unknown> {
    return {
      CdnType: props.cdnType,
      DomainName: props.domainName,
      OriginServers: props.originServers?.map((origin) =>
        dropUndefined({
          Type: origin.type,
          Content: origin.content,
          Port: origin.port,
          Priority: origin.priority,
          Weight: origin.weight,
        }),
      ),
      Sources: props.sources ? sourcesJson(props.sources) : undefined,
      Scope: props.scope,
      CheckUrl: props.checkUrl,
      ResourceGroupId: props.resourceGroupId,
      Tags: props.tags?.map((tag) => dropUndefined({ Key: tag.key, Value: tag.value })),
    };
  }
}

/**
 * `Sources` is a JSON string. Properties reach here already resolved, so an origin host from a parameter is an
 * intrinsic (`{"Ref": ...}`), spliced into the string with `Fn::Join` so it resolves to valid JSON in ROS.
 */
function sourcesJson(origins: readonly CdnOriginServer[]): unknown {
  const parts: unknown[] = ['['];
  origins.forEach((origin, index) => {
    const rest = dropUndefined({ type: origin.type, priority: origin.priority, port: origin.port, weight: origin.weight });
    const prefix = `${index === 0 ? '' : ','}{"content":`;
    const suffix = ',' + JSON.stringify(rest).slice(1);
    if (typeof origin.content === 'string') parts.push(prefix + JSON.stringify(origin.content) + suffix);
    else parts.push(prefix + '"', origin.content, '"' + suffix);
  });
  parts.push(']');
  if (parts.every((part) => typeof part === 'string')) return parts.join('');
  const merged: unknown[] = [];
  for (const part of parts) {
    const last = merged.length - 1;
    if (typeof part === 'string' && typeof merged[last] === 'string') merged[last] = (merged[last] as string) + part;
    else merged.push(part);
  }
  return { 'Fn::Join': ['', merged] };
}

function validateDomainProps(props: RosCdnDomainProps): void {
  requireValue(TYPE, 'CdnType', props.cdnType);
  requireOneOf(TYPE, 'CdnType', props.cdnType, ['web', 'download', 'video', 'liveStream']);
  requireValue(TYPE, 'DomainName', props.domainName);
  requireString(TYPE, 'DomainName', props.domainName);
  requireOneOf(TYPE, 'Scope', props.scope, ['domestic', 'overseas', 'global']);
  validateOrigins('OriginServers', props.originServers ?? []);
  validateOrigins('Sources', props.sources ?? []);
  if ((props.tags?.length ?? 0) > 20) throw new RosPropertyError(TYPE, 'Tags', 'at most 20 tags');
}

function validateOrigins(property: 'OriginServers' | 'Sources', origins: readonly CdnOriginServer[]): void {
  if (origins.length > 20) throw new RosPropertyError(TYPE, property, `has ${origins.length} items; at most 20`);
  origins.forEach((origin, index) => {
    const where = `${property}[${index}]`;
    requireOneOf(TYPE, `${where}.Type`, origin.type, ORIGIN_TYPES);
    requireValue(TYPE, `${where}.Content`, origin.content);
    if (origin.port !== undefined && !isToken(origin.port) && !(Number.isInteger(origin.port) && origin.port > 0 && origin.port < 65536)) {
      throw new RosPropertyError(TYPE, `${where}.Port`, `${origin.port} is not a TCP port (1-65535)`);
    }
    requireOneOf(TYPE, `${where}.Priority`, origin.priority, ['20', '30']);
    if (origin.weight !== undefined && !(Number(origin.weight) >= 0 && Number(origin.weight) <= 100)) {
      throw new RosPropertyError(TYPE, `${where}.Weight`, `${origin.weight} is not between "0" and "100"`);
    }
  });
}
