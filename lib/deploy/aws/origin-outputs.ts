import { readFile as fsReadFile } from 'node:fs/promises';
import { z } from 'zod';
import { originHostFor, type OriginUrlStyle } from '../../config/naming';
import { ORIGIN_STACK_OUTPUTS, originOutputField, type OriginOutputs, type OriginOutputsByStack } from '../../aws/stack-interface';
import { S3AlicdnError } from '../../errors';
import { originAccessMode, type OriginAccessMode, type OriginAccessModeName, type OriginOutput } from '../../origin-access';

export type { OriginOutputs, OriginOutputsByStack } from '../../aws/stack-interface';

/**
 * The CfnOutput keys the origin stack must emit. The stack names its outputs from this table so the two sides
 * cannot drift apart. They must be the outputs' logical ids as `cdk deploy --outputs-file` writes them, i.e. a
 * CfnOutput created directly in the stack (or given `key`), not nested in a construct.
 */
export const ORIGIN_OUTPUT_KEYS = ORIGIN_STACK_OUTPUTS;

export interface ParseOriginOutputsOptions {
  /** Shown in every error so the user knows which file to look at. */
  readonly file: string;
  readonly stacks: readonly string[];
  readonly mode: OriginAccessModeName;
}

export interface ReadOriginOutputsOptions extends ParseOriginOutputsOptions {
  readonly readFile?: (file: string) => Promise<string>;
}

/** The outputs file is missing or does not describe the stacks it should; the message names the file and output. */
export class OriginOutputsError extends S3AlicdnError {
  constructor(message: string) {
    super('BAD_FILE', message);
  }
}

const BUCKET_NAME = /^(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;
const PATH_PREFIX = /^\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/)?$/;
const SECRET_ARN = /^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

const IAM_USER_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

const EXPECTED = {
  iamUserName: 'an IAM user name (1-64 letters, digits and +=,.@_-)',
  bucketName: 'an S3 bucket name (3-63 characters: lowercase letters, digits, "." and "-")',
  region: 'an AWS region name such as ap-northeast-2',
  host: 'the S3 REST host name, e.g. <bucket>.s3.<region>.amazonaws.com',
  pathPrefix: '"/" for virtual-hosted origins or "/<bucket>/" for path-style origins',
  secretArn: 'a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)',
};

function outputField(pattern: RegExp, expected: string) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `is missing; expected ${expected}` : `is not a string; expected ${expected}`),
    })
    .regex(pattern, { error: (issue) => `is ${quote(issue.input)}; expected ${expected}` });
}

const K = ORIGIN_OUTPUT_KEYS;
const baseShape = {
  [K.bucketName]: outputField(BUCKET_NAME, EXPECTED.bucketName),
  [K.bucketRegion]: outputField(REGION, EXPECTED.region),
  [K.originHost]: outputField(HOST, EXPECTED.host),
  [K.originPathPrefix]: outputField(PATH_PREFIX, EXPECTED.pathPrefix),
};

/** How each output shape a mode may declare is validated; a new shape fails the type check here until it has one. */
const SHAPE_FIELDS: Readonly<Record<OriginOutput['shape'], () => z.ZodString>> = {
  'secret-arn': () => outputField(SECRET_ARN, EXPECTED.secretArn),
  'iam-user-name': () => outputField(IAM_USER_NAME, EXPECTED.iamUserName),
};

/** The shared outputs plus the mode's own, each validated by its declared shape. */
function schemaFor(mode: OriginAccessMode) {
  return z.object({ ...baseShape, ...Object.fromEntries(mode.originOutputs.map((output) => [output.key, SHAPE_FIELDS[output.shape]()])) });
}

/** Reads and validates the outputs file that `cdk deploy --outputs-file` wrote. */
export async function readOriginOutputs(options: ReadOriginOutputsOptions): Promise<OriginOutputsByStack> {
  const readFile = options.readFile ?? ((file: string) => fsReadFile(file, 'utf8'));
  let text: string;
  try {
    text = await readFile(options.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new OriginOutputsError(
        `${options.file}: outputs file not found; expected the JSON file written by \`cdk deploy --outputs-file ${options.file}\`.`,
      );
    }
    throw new OriginOutputsError(`${options.file}: cannot read the outputs file (${code ?? String(error)}).`);
  }
  return parseOriginOutputs(text, options);
}

export function parseOriginOutputs(text: string, options: ParseOriginOutputsOptions): OriginOutputsByStack {
  const { file, stacks, mode } = options;
  if (stacks.length === 0) throw new OriginOutputsError(`${file}: no origin stack names were given to read.`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new OriginOutputsError(`${file}: not valid JSON; expected an object of stack names to their outputs.`);
  }
  if (!isPlainObject(document)) {
    throw new OriginOutputsError(`${file}: expected a JSON object of stack names to their outputs, got ${jsonKind(document)}.`);
  }

  const result: Record<string, OriginOutputs> = {};
  for (const stackName of stacks) {
    const outputs = document[stackName];
    if (outputs === undefined) {
      const present = Object.keys(document);
      throw new OriginOutputsError(
        `${file}: stack "${stackName}" is missing; the file has ${present.length ? present.map((stack) => `"${stack}"`).join(', ') : 'no stacks'}. Was it deployed with --outputs-file?`,
      );
    }
    if (!isPlainObject(outputs)) {
      throw new OriginOutputsError(`${file}: stack "${stackName}": expected an object of outputs, got ${jsonKind(outputs)}.`);
    }
    result[stackName] = parseStackOutputs(outputs, { file, stackName, mode: originAccessMode(mode) });
  }
  return result;
}

function parseStackOutputs(
  outputs: Record<string, unknown>,
  where: { file: string; stackName: string; mode: OriginAccessMode },
): OriginOutputs {
  const { mode } = where;
  const parsed = schemaFor(mode).safeParse(outputs);
  if (!parsed.success) {
    throw new OriginOutputsError(
      parsed.error.issues
        .map((issue) => `${where.file}: stack "${where.stackName}" (${mode.name} mode): output "${String(issue.path[0])}" ${issue.message}`)
        .join('\n'),
    );
  }
  const values = parsed.data as Record<string, string>;
  return {
    stackName: where.stackName,
    mode: mode.name,
    bucketName: values[K.bucketName],
    bucketRegion: values[K.bucketRegion],
    originHost: values[K.originHost],
    originPathPrefix: values[K.originPathPrefix],
    urlStyle: originUrlStyle(values, where),
    ...Object.fromEntries(mode.originOutputs.map(({ key }) => [originOutputField(key), values[key]])),
  };
}

/**
 * The origin stack's outputs under their CloudFormation output keys, the inverse of parsing: what the deploy outputs
 * file keeps and what a mode's `rosParameterValues` reads.
 */
export function originOutputRecord(origin: OriginOutputs): Record<string, string> {
  const record: Record<string, string> = {
    [K.bucketName]: origin.bucketName,
    [K.bucketRegion]: origin.bucketRegion,
    [K.originHost]: origin.originHost,
    [K.originPathPrefix]: origin.originPathPrefix,
  };
  for (const { key } of originAccessMode(origin.mode).originOutputs) {
    const value = origin[originOutputField(key)];
    if (value !== undefined) record[key] = value;
  }
  return record;
}

/** The host and the path prefix must describe the same bucket in the same URL style, or verify and the CDN would disagree. */
function originUrlStyle(values: Record<string, string>, where: { file: string; stackName: string }): OriginUrlStyle {
  const bucket = values[K.bucketName];
  const region = values[K.bucketRegion];
  const host = values[K.originHost];
  const prefix = values[K.originPathPrefix];
  const virtualHost = originHostFor(bucket, region, 'virtual-hosted');
  const pathHost = originHostFor(bucket, region, 'path');
  const at = `${where.file}: stack "${where.stackName}"`;

  if (host === virtualHost) {
    if (prefix !== '/') {
      throw new OriginOutputsError(
        `${at}: output "${K.originPathPrefix}" is ${quote(prefix)}; expected "/" because "${K.originHost}" ${quote(host)} is a virtual-hosted S3 host.`,
      );
    }
    return 'virtual-hosted';
  }
  if (host === pathHost) {
    if (prefix !== `/${bucket}/`) {
      throw new OriginOutputsError(
        `${at}: output "${K.originPathPrefix}" is ${quote(prefix)}; expected "/${bucket}/" because "${K.originHost}" ${quote(host)} is a path-style S3 host.`,
      );
    }
    return 'path';
  }
  throw new OriginOutputsError(
    `${at}: output "${K.originHost}" is ${quote(host)}; expected the S3 REST host of bucket "${bucket}" in ${region}: "${virtualHost}" or "${pathHost}".`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
