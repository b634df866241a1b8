import * as ros from '@alicloud/ros-cdk-core';
import { RosPropertyError } from './property-checks';

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
export class RosOosExecution extends ros.RosResource {
  public static readonly ROS_RESOURCE_TYPE_NAME = TYPE;
  public readonly attrStatus: ros.IResolvable;

  constructor(scope: ros.Construct, id: string, readonly props: RosOosExecutionProps) {
    super(scope, id, { type: TYPE, properties: props });
    if ((props.templateContent === undefined) === (props.templateName === undefined)) {
      throw new RosPropertyError(TYPE, 'TemplateContent', 'set exactly one of TemplateContent and TemplateName');
    }
    this.attrStatus = this.getAtt('Status');
  }

  protected get rosProperties(): { [key: string]: any } {
    return this.props;
  }

  protected renderProperties(props: { [key: string]: any }): { [key: string]: any } {
    const p = props as RosOosExecutionProps;
    const out: Record<string, unknown> = {};
    if (p.templateContent !== undefined) out.TemplateContent = p.templateContent;
    if (p.templateName !== undefined) out.TemplateName = p.templateName;
    if (p.parameters !== undefined) out.Parameters = p.parameters;
    if (p.mode !== undefined) out.Mode = p.mode;
    if (p.safetyCheck !== undefined) out.SafetyCheck = p.safetyCheck;
    if (p.resourceOptions !== undefined) {
      const options: Record<string, unknown> = {};
      if (p.resourceOptions.timeout !== undefined) options.Timeout = p.resourceOptions.timeout;
      if (p.resourceOptions.cancelOnDelete !== undefined) options.CancelOnDelete = p.resourceOptions.cancelOnDelete;
      out.ResourceOptions = options;
    }
    if (p.description !== undefined) out.Description = p.description;
    return out;
  }
}
