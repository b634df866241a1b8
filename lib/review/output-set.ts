/**
 * Reads one synthesized output set: the AWS templates in `cdk.out/` and the ROS templates in `ros.out/`, each
 * `<StackName>.template.json`. The file name is the stack identity used to pair base and head.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Cloud } from './review-model';
import { ReviewError } from './review-error';
import type { Template } from './stack-diff';

export const OUTPUT_DIRS: Readonly<Record<Cloud, string>> = { aws: 'cdk.out', ros: 'ros.out' };

const TEMPLATE_SUFFIX = '.template.json';

export interface SynthesizedStack {
  readonly stackName: string;
  readonly cloud: Cloud;
  readonly file: string;
  readonly template: Template;
}

function readTemplate(file: string): Template {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReviewError(`cannot read template ${file}: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ReviewError(`template ${file} is not a JSON object`);
  }
  return parsed as Template;
}

function loadCloud(root: string, cloud: Cloud): SynthesizedStack[] {
  const dir = path.join(root, OUTPUT_DIRS[cloud]);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(TEMPLATE_SUFFIX))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      return { stackName: name.slice(0, -TEMPLATE_SUFFIX.length), cloud, file, template: readTemplate(file) };
    });
}

/** Throws when the directory holds no template at all: a synth that wrote nothing is a failed synth. */
export function loadOutputSet(root: string): SynthesizedStack[] {
  const stacks = [...loadCloud(root, 'aws'), ...loadCloud(root, 'ros')];
  if (stacks.length === 0) {
    throw new ReviewError(
      `no synthesized templates in ${root}: expected ${OUTPUT_DIRS.aws}/*${TEMPLATE_SUFFIX} or ${OUTPUT_DIRS.ros}/*${TEMPLATE_SUFFIX}`,
    );
  }
  return stacks;
}
