/** Loads the hand-written synthesized output sets under fixtures/ for tests that edit a copy. */

import * as path from 'node:path';
import { loadOutputSet, type SynthesizedStack } from '../../lib/review/output-set';
import type { Template } from '../../lib/review/stack-diff';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const AWS_STACK = 'S3AliCdnOrigin-example';
export const ROS_STACK = 'S3AliCdnCdn-example';

export function fixtureSet(name: 'base' | 'head'): SynthesizedStack[] {
  return loadOutputSet(path.join(FIXTURES, name));
}

/** A deep copy of one base template, safe to edit. */
export function baseTemplate(stackName: string): Template {
  const stack = fixtureSet('base').find((synthesizedStack) => synthesizedStack.stackName === stackName);
  if (!stack) throw new Error(`no fixture stack ${stackName}`);
  return structuredClone(stack.template);
}

type Json = Record<string, any>;

export function resourceOf(template: Template, logicalId: string): Json {
  return (template.Resources as Json)[logicalId];
}

export function functionOf(template: Template, logicalId: string, functionName: string): Json {
  const fn = resourceOf(template, logicalId).Properties.FunctionList.find((candidate: Json) => candidate.FunctionName === functionName);
  if (!fn) throw new Error(`no function ${functionName} in ${logicalId}`);
  return fn;
}

export function setArg(template: Template, logicalId: string, functionName: string, argName: string, value: unknown): void {
  const args = functionOf(template, logicalId, functionName).FunctionArgs as Json[];
  const arg = args.find((candidate) => candidate.ArgName === argName);
  if (arg) arg.ArgValue = value;
  else args.push({ ArgName: argName, ArgValue: value });
}
