import { ROS_LIMITS } from '../../ros/ros-limits';
import { S3AlicdnError } from '../../errors';

// What the engine knows without asking ROS: which stack states allow what, what a template declares, which inputs
// ROS would refuse, and what a user should do about a stack in a given state.

/**
 * ROS stack status classes (GetStack `Status`, API 2019-09-10). `REVIEW_IN_PROGRESS` is not an operation in flight:
 * it is a stack made by a CREATE change set that was never executed.
 */
export const REVIEW_IN_PROGRESS = 'REVIEW_IN_PROGRESS';

export function isOperationInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== REVIEW_IN_PROGRESS;
}

/**
 * States in which ROS accepts an UPDATE change set (ROS user guide, "Update a stack by using a change set", Limits:
 * "You can create a change set only for a stack that is in one of the following states"). Every other documented
 * status (GetStack reference: CHECK_COMPLETE / CHECK_FAILED, IMPORT_UPDATE_ROLLBACK_*, DELETE_FAILED ...) refuses.
 * `ROLLBACK_COMPLETE` belongs here: in ROS it is the state after a failed *update* rolled back, the stack's old
 * resources are intact. The create-time equivalent is `CREATE_ROLLBACK_COMPLETE`.
 */
const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'ROLLBACK_COMPLETE',
  'ROLLBACK_FAILED',
  'IMPORT_CREATE_COMPLETE',
  'IMPORT_UPDATE_COMPLETE',
  'IMPORT_UPDATE_FAILED',
]);

/** A first create that failed: nothing usable to update, the stack has to go before a new create. */
const FAILED_CREATE = new Set([
  'CREATE_FAILED',
  'CREATE_ROLLBACK_COMPLETE',
  'CREATE_ROLLBACK_FAILED',
  'IMPORT_CREATE_FAILED',
  'IMPORT_CREATE_ROLLBACK_COMPLETE',
  'IMPORT_CREATE_ROLLBACK_FAILED',
]);

export function isUpdatable(status: string): boolean {
  return UPDATABLE.has(status);
}

export function isFailedCreate(status: string): boolean {
  return FAILED_CREATE.has(status);
}

/** An update that did not apply cleanly earlier; still updatable, worth a warning. */
export function isDegradedAfterUpdate(status: string): boolean {
  return status === 'UPDATE_FAILED' || status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED';
}

export type StackOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** The one status that means the operation did what was asked. Anything else terminal is a failure. */
export function successStatusFor(op: StackOperation): string {
  return `${op}_COMPLETE`;
}

/** Resource or stack event statuses after which that resource will not change again in this operation. */
export function isTerminalEventStatus(status: string): boolean {
  return /_(COMPLETE|FAILED|SKIPPED)$/.test(status);
}

/** How the caller's UI names the ways out; the CLI passes its own flag and command names. */
export interface RecoveryHints {
  /** @default "the recreateFailedStack option" */
  readonly recreateFailedStack?: string;
  /** @default "destroy" */
  readonly destroyCommand?: string;
}

export function nextStepFor(status: string, hints: RecoveryHints = {}): string {
  const recreate = hints.recreateFailedStack ?? 'the recreateFailedStack option';
  const destroy = hints.destroyCommand ?? 'destroy';
  if (/^(IMPORT_)?CREATE_(FAILED|ROLLBACK_COMPLETE|ROLLBACK_FAILED)$/.test(status)) {
    return `A stack whose first create failed cannot be updated. Fix the cause above, then delete the stack (${destroy}) and deploy again, or deploy again with ${recreate} to delete it first.`;
  }
  if (status === 'ROLLBACK_COMPLETE') {
    return 'The update was rolled back; the stack keeps its previous version. Fix the cause above and deploy again.';
  }
  if (status === 'ROLLBACK_FAILED' || status === 'UPDATE_FAILED') {
    return 'The stack may be partly updated. Check its events in the ROS console, fix the cause above and deploy again.';
  }
  if (status === 'DELETE_FAILED') {
    return `Some resources could not be deleted. Fix the cause above (or delete those resources by hand) and run ${destroy} again.`;
  }
  return 'Check the stack events in the ROS console, fix the cause and run the command again.';
}

/** What the deploy flow needs to know about a ROS template, read without calling any API. */
export interface RosTemplateFacts {
  /** False for a YAML (or otherwise non-JSON) body: the facts below are then empty and checks relying on them skip. */
  readonly parsed: boolean;
  readonly resources: ReadonlyArray<{ readonly logicalId: string; readonly type: string }>;
  readonly parameters: ReadonlyArray<{ readonly key: string; readonly noEcho: boolean; readonly hasDefault: boolean }>;
}

export function readTemplateFacts(templateBody: string): RosTemplateFacts {
  let doc: unknown;
  try {
    doc = JSON.parse(templateBody);
  } catch {
    return { parsed: false, resources: [], parameters: [] };
  }
  if (!isObject(doc))
    throw new RosInputError('templateBody must be a JSON object (a ROS template), got ' + (Array.isArray(doc) ? 'an array' : typeof doc));
  const resources = Object.entries(isObject(doc.Resources) ? doc.Resources : {}).map(([logicalId, resource]) => ({
    logicalId,
    type: isObject(resource) && typeof resource.Type === 'string' ? resource.Type : 'Unknown',
  }));
  const parameters = Object.entries(isObject(doc.Parameters) ? doc.Parameters : {}).map(([key, parameter]) => ({
    key,
    noEcho: isObject(parameter) && (parameter.NoEcho === true || parameter.NoEcho === 'true'),
    hasDefault: isObject(parameter) && parameter.Default !== undefined,
  }));
  return { parsed: true, resources, parameters };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Same template regardless of key order and whitespace (ROS may hand a JSON body back re-serialized). */
export function isSameTemplate(left: string, right: string): boolean {
  try {
    return canonicalJson(JSON.parse(left)) === canonicalJson(JSON.parse(right));
  } catch {
    return left.trim() === right.trim();
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
// The docs say "cannot start with aliyun or acs:" and "cannot contain http:// or https://". Checked without regard to
// case on purpose: a value rejected here by mistake costs a rename, one accepted by mistake costs a failed deploy.
const RESERVED_PREFIX = /^(aliyun|acs:)/i;
const URL_SCHEME = /https?:\/\//i;

/** A value ROS would refuse; raised before any call, so nothing was attempted. */
export class RosInputError extends S3AlicdnError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
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
    throw new RosInputError(
      `stackName '${stackName}' is not a valid ROS stack name: use 1-${ROS_LIMITS.stackNameMaxLength} letters, digits, '-' or '_', starting with a letter or digit`,
    );
  }
}

function assertParameters(inputs: RosDeployInputs, facts: RosTemplateFacts): void {
  const keys = Object.keys(inputs.parameters);
  if (keys.length > ROS_LIMITS.maxParameters) {
    throw new RosInputError(`${keys.length} parameters given; ROS accepts at most ${ROS_LIMITS.maxParameters} per stack`);
  }
  if (facts.parsed) {
    const declared = new Set(facts.parameters.map((parameter) => parameter.key));
    const unknown = keys.filter((key) => !declared.has(key));
    if (unknown.length > 0) {
      throw new RosInputError(
        `parameter(s) ${unknown.map((key) => `'${key}'`).join(', ')} not declared in the template (declared: ${[...declared].join(', ') || 'none'})`,
      );
    }
    const missing = facts.parameters
      .filter((parameter) => !parameter.hasDefault && inputs.parameters[parameter.key] === undefined)
      .map((parameter) => parameter.key);
    if (missing.length > 0) {
      throw new RosInputError(
        `parameter(s) ${missing.map((key) => `'${key}'`).join(', ')} have no Default in the template and no value was given`,
      );
    }
  }
  for (const key of keys) {
    const value = inputs.parameters[key];
    const shown = inputs.noEchoKeys.has(key) ? '(NoEcho, not shown)' : `'${value}'`;
    if (typeof value !== 'string') {
      throw new RosInputError(`parameter '${key}' must be a string, got ${typeof value}`);
    }
    if (value.length > ROS_LIMITS.parameterValueMaxLength) {
      throw new RosInputError(
        `parameter '${key}' value is ${value.length} characters; ROS accepts at most ${ROS_LIMITS.parameterValueMaxLength}`,
      );
    }
    if (RESERVED_PREFIX.test(value)) {
      throw new RosInputError(
        `parameter '${key}' value ${shown} starts with a reserved prefix; ROS rejects values starting with 'aliyun' or 'acs:'`,
      );
    }
    if (URL_SCHEME.test(value)) {
      throw new RosInputError(
        `parameter '${key}' value ${shown} contains 'http://' or 'https://', which ROS rejects in parameter values; pass the host name without the scheme`,
      );
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
      throw new RosInputError(
        `tag '${key}' value '${value}' is ${value.length} characters; ROS accepts at most ${ROS_LIMITS.tagValueMaxLength}`,
      );
    }
    for (const [what, text] of [
      ['key', key],
      ['value', value],
    ] as const) {
      if (RESERVED_PREFIX.test(text) || URL_SCHEME.test(text)) {
        throw new RosInputError(
          `tag ${what} '${text}' (tag '${key}') must not start with 'aliyun' or 'acs:' and must not contain 'http://' or 'https://'`,
        );
      }
    }
  }
}
