import * as ros from '@alicloud/ros-cdk-core';

/**
 * What every resource type declared in this folder shares: camelCase props in, PascalCase template properties out,
 * unset properties left out of the template. The generated classes in Alibaba's typed packages have the same shape
 * (a `props` field, `rosProperties`, `renderProperties`), so one of these can be swapped for the official class.
 */
export abstract class TypedRosResource<Props extends object> extends ros.RosResource {
  constructor(
    scope: ros.Construct,
    id: string,
    type: string,
    readonly props: Props,
  ) {
    super(scope, id, { type, properties: props });
  }

  protected get rosProperties(): { [key: string]: unknown } {
    return this.props as { [key: string]: unknown };
  }

  protected renderProperties(props: { [key: string]: unknown }): { [key: string]: unknown } {
    return dropUndefined(this.templateProperties(props as Props));
  }

  /** The template's property names and values for these props; undefined values are dropped. */
  protected abstract templateProperties(props: Props): Record<string, unknown>;
}

export function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
