import type * as ros from '@alicloud/ros-cdk-core';
import { RosPropertyError } from './property-checks';
import { dropUndefined, TypedRosResource } from './typed-ros-resource';

export interface RosOosExecutionProps {
  /** Inline OOS template (JSON text). Exactly one of templateContent / templateName. */
  readonly templateContent?: string;
  readonly templateName?: string;
  readonly parameters?: { [key: string]: unknown } | ros.IResolvable;
  readonly mode?: 'Automatic' | 'Debug';
  readonly safetyCheck?: 'Skip' | 'ConfirmEveryHighRiskAction';
  readonly resourceOptions?: {
    readonly timeout?: number;
    readonly cancelOnDelete?: boolean;
  };
  readonly description?: string;
}

const TYPE = 'ALIYUN::OOS::Execution';

/**
 * `ALIYUN::OOS::Execution`: runs an OOS template while the stack is created. No property is editable, so a changed
 * parameter replaces the execution and the replacement runs it again: that is how a new certificate id is re-bound.
 */
export class RosOosExecution extends TypedRosResource<RosOosExecutionProps> {
  public static readonly ROS_RESOURCE_TYPE_NAME = TYPE;
  public readonly attrStatus: ros.IResolvable;

  constructor(scope: ros.Construct, id: string, props: RosOosExecutionProps) {
    super(scope, id, TYPE, props);
    if ((props.templateContent === undefined) === (props.templateName === undefined)) {
      throw new RosPropertyError(TYPE, 'TemplateContent', 'set exactly one of TemplateContent and TemplateName');
    }
    this.attrStatus = this.getAtt('Status');
  }

  protected templateProperties(props: RosOosExecutionProps): Record<string, unknown> {
    const options = props.resourceOptions;
    return {
      TemplateContent: props.templateContent,
      TemplateName: props.templateName,
      Parameters: props.parameters,
      Mode: props.mode,
      SafetyCheck: props.safetyCheck,
      ResourceOptions: options && dropUndefined({ Timeout: options.timeout, CancelOnDelete: options.cancelOnDelete }),
      Description: props.description,
    };
  }
}
