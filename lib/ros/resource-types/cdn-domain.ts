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
  /** Takes priority over the legacy JSON-string `Sources`; at most 20. */
  readonly originServers?: readonly CdnOriginServer[];
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
      Scope: props.scope,
      CheckUrl: props.checkUrl,
      ResourceGroupId: props.resourceGroupId,
      Tags: props.tags?.map((tag) => dropUndefined({ Key: tag.key, Value: tag.value })),
    };
  }
}

function validateDomainProps(props: RosCdnDomainProps): void {
  requireValue(TYPE, 'CdnType', props.cdnType);
  requireOneOf(TYPE, 'CdnType', props.cdnType, ['web', 'download', 'video', 'liveStream']);
  requireValue(TYPE, 'DomainName', props.domainName);
  requireString(TYPE, 'DomainName', props.domainName);
  requireOneOf(TYPE, 'Scope', props.scope, ['domestic', 'overseas', 'global']);
  const origins = props.originServers ?? [];
  if (origins.length > 20) throw new RosPropertyError(TYPE, 'OriginServers', `has ${origins.length} items; at most 20`);
  origins.forEach((origin, index) => {
    const where = `OriginServers[${index}]`;
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
  if ((props.tags?.length ?? 0) > 20) throw new RosPropertyError(TYPE, 'Tags', 'at most 20 tags');
}
