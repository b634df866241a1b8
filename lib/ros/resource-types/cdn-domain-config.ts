import type * as ros from '@alicloud/ros-cdk-core';
import { dropUndefined, TypedRosResource } from './typed-ros-resource';
import { RosPropertyError, isToken, requireValue } from './property-checks';

/** One CDN feature function (BatchSetCdnDomainConfig). Every argument value is a string in ROS. */
export interface CdnFunction {
  readonly functionName: string;
  readonly functionArgs: ReadonlyArray<{ readonly argName: string; readonly argValue: string | ros.IResolvable }>;
  /** Rules-engine condition id; unused here. */
  readonly parentId?: string;
}

export interface RosCdnDomainConfigProps {
  /** Comma-separated domain names. */
  readonly domainNames: string | ros.IResolvable;
  readonly functionList: readonly CdnFunction[];
}

const TYPE = 'ALIYUN::CDN::DomainConfig';

/**
 * `ALIYUN::CDN::DomainConfig`. None of its properties is editable, so any change replaces the resource (delete then
 * create); the CDN stack therefore splits functions into small groups so a change replaces little. No attributes.
 */
export class RosCdnDomainConfig extends TypedRosResource<RosCdnDomainConfigProps> {
  public static readonly ROS_RESOURCE_TYPE_NAME = TYPE;

  constructor(scope: ros.Construct, id: string, props: RosCdnDomainConfigProps) {
    super(scope, id, TYPE, props);
    validateConfigProps(props);
  }

  protected templateProperties(props: RosCdnDomainConfigProps): Record<string, unknown> {
    return {
      DomainNames: props.domainNames,
      FunctionList: props.functionList.map((fn) =>
        dropUndefined({
          FunctionName: fn.functionName,
          FunctionArgs: fn.functionArgs.map((arg) => ({ ArgName: arg.argName, ArgValue: arg.argValue })),
          ParentId: fn.parentId,
        }),
      ),
    };
  }
}

function validateConfigProps(props: RosCdnDomainConfigProps): void {
  requireValue(TYPE, 'DomainNames', props.domainNames);
  if (props.functionList.length === 0) throw new RosPropertyError(TYPE, 'FunctionList', 'needs at least one function');
  props.functionList.forEach((fn, index) => {
    requireValue(TYPE, `FunctionList[${index}].FunctionName`, fn.functionName);
    if (fn.functionArgs.length === 0) {
      throw new RosPropertyError(TYPE, `FunctionList[${index}].FunctionArgs`, `${fn.functionName} needs at least one argument`);
    }
    fn.functionArgs.forEach((arg, argIndex) => {
      const where = `FunctionList[${index}].FunctionArgs[${argIndex}]`;
      requireValue(TYPE, `${where}.ArgName`, arg.argName);
      // ROS rejects numbers and booleans here; a stray 443 instead of "443" would only fail at deploy time.
      if (!isToken(arg.argValue) && typeof arg.argValue !== 'string') {
        throw new RosPropertyError(
          TYPE,
          `${where}.ArgValue`,
          `${fn.functionName}.${arg.argName} must be a string, got ${JSON.stringify(arg.argValue)}`,
        );
      }
    });
  });
}
