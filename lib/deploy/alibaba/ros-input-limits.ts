import { RosTemplateFacts } from './ros-template-facts';

import { ROS_LIMITS } from '../../ros/ros-limits';

export { ROS_LIMITS };

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
// The docs say "cannot start with aliyun or acs:" and "cannot contain http:// or https://". Checked without regard to
// case on purpose: a value rejected here by mistake costs a rename, one accepted by mistake costs a failed deploy.
const RESERVED_PREFIX = /^(aliyun|acs:)/i;
const URL_SCHEME = /https?:\/\//i;

export class RosInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosInputError';
  }
}

export interface RosDeployInputs {
  readonly stackName: string;
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly noEchoKeys: ReadonlySet<string>;
  readonly timeoutInMinutes?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Throws a `RosInputError` for the first violation found. NoEcho values are never quoted. */
export function assertRosDeployInputs(inputs: RosDeployInputs, facts: RosTemplateFacts): void {
  assertStackName(inputs.stackName);
  const bytes = Buffer.byteLength(inputs.templateBody, 'utf8');
  if (bytes === 0) throw new RosInputError('templateBody is empty; pass the synthesized ROS template');
  if (bytes > ROS_LIMITS.templateBodyMaxBytes) {
    throw new RosInputError(`templateBody is ${bytes} bytes; ROS accepts at most ${ROS_LIMITS.templateBodyMaxBytes} bytes in TemplateBody`);
  }
  assertParameters(inputs, facts);
  if (inputs.timeoutInMinutes !== undefined) {
    const { min, max } = ROS_LIMITS.timeoutInMinutes;
    if (!Number.isInteger(inputs.timeoutInMinutes) || inputs.timeoutInMinutes < min || inputs.timeoutInMinutes > max) {
      throw new RosInputError(`timeoutInMinutes is ${inputs.timeoutInMinutes}; ROS accepts a whole number from ${min} to ${max}`);
    }
  }
  assertTags(inputs.tags ?? {});
}

export function assertStackName(stackName: string): void {
  if (!STACK_NAME.test(stackName) || stackName.length > ROS_LIMITS.stackNameMaxLength) {
    throw new RosInputError(`stackName '${stackName}' is not a valid ROS stack name: use 1-${ROS_LIMITS.stackNameMaxLength} letters, digits, '-' or '_', starting with a letter or digit`);
  }
}

function assertParameters(inputs: RosDeployInputs, facts: RosTemplateFacts): void {
  const keys = Object.keys(inputs.parameters);
  if (keys.length > ROS_LIMITS.maxParameters) {
    throw new RosInputError(`${keys.length} parameters given; ROS accepts at most ${ROS_LIMITS.maxParameters} per stack`);
  }
  if (facts.parsed) {
    const declared = new Set(facts.parameters.map((p) => p.key));
    const unknown = keys.filter((k) => !declared.has(k));
    if (unknown.length > 0) {
      throw new RosInputError(`parameter(s) ${unknown.map((k) => `'${k}'`).join(', ')} not declared in the template (declared: ${[...declared].join(', ') || 'none'})`);
    }
    const missing = facts.parameters.filter((p) => !p.hasDefault && inputs.parameters[p.key] === undefined).map((p) => p.key);
    if (missing.length > 0) {
      throw new RosInputError(`parameter(s) ${missing.map((k) => `'${k}'`).join(', ')} have no Default in the template and no value was given`);
    }
  }
  for (const key of keys) {
    const value = inputs.parameters[key];
    const shown = inputs.noEchoKeys.has(key) ? '(NoEcho, not shown)' : `'${value}'`;
    if (typeof value !== 'string') {
      throw new RosInputError(`parameter '${key}' must be a string, got ${typeof value}`);
    }
    if (value.length > ROS_LIMITS.parameterValueMaxLength) {
      throw new RosInputError(`parameter '${key}' value is ${value.length} characters; ROS accepts at most ${ROS_LIMITS.parameterValueMaxLength}`);
    }
    if (RESERVED_PREFIX.test(value)) {
      throw new RosInputError(`parameter '${key}' value ${shown} starts with a reserved prefix; ROS rejects values starting with 'aliyun' or 'acs:'`);
    }
    if (URL_SCHEME.test(value)) {
      throw new RosInputError(`parameter '${key}' value ${shown} contains 'http://' or 'https://', which ROS rejects in parameter values; pass the host name without the scheme`);
    }
  }
}

function assertTags(tags: Readonly<Record<string, string>>): void {
  const entries = Object.entries(tags);
  if (entries.length > ROS_LIMITS.maxTags) {
    throw new RosInputError(`${entries.length} tags given; ROS accepts at most ${ROS_LIMITS.maxTags}`);
  }
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > ROS_LIMITS.tagKeyMaxLength) {
      throw new RosInputError(`tag key '${key}' must be 1-${ROS_LIMITS.tagKeyMaxLength} characters`);
    }
    if (value.length > ROS_LIMITS.tagValueMaxLength) {
      throw new RosInputError(`tag '${key}' value '${value}' is ${value.length} characters; ROS accepts at most ${ROS_LIMITS.tagValueMaxLength}`);
    }
    for (const [what, text] of [['key', key], ['value', value]] as const) {
      if (RESERVED_PREFIX.test(text) || URL_SCHEME.test(text)) {
        throw new RosInputError(`tag ${what} '${text}' (tag '${key}') must not start with 'aliyun' or 'acs:' and must not contain 'http://' or 'https://'`);
      }
    }
  }
}
