import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROS_LIMITS } from '../ros/ros-limits';
import { templatesIn } from './template-files';

/**
 * Documented per-template limits of the two deployment engines. A template over any of them is refused by the
 * cloud only at deploy time, after the other cloud may already have changed, so synth checks them first.
 *
 * - CloudFormation ("Understand CloudFormation quotas"): 500 resources, 200 parameters, 200 outputs, 200 mappings
 *   per template; a template body of at most 1 MB from S3 (`cdk deploy` uploads templates over 50 KB to the
 *   bootstrap bucket, so 1 MB is the limit that applies); bucket policies of at most 20 KB (S3).
 * - ROS (CreateStack, API 2019-09-10): at most 200 resources per stack and 200 parameters; a TemplateBody of at most
 *   524,288 bytes.
 */
export interface TemplateLimits {
  readonly maxResources: number;
  readonly maxParameters: number;
  readonly maxOutputs?: number;
  readonly maxMappings?: number;
  readonly maxTemplateBytes: number;
  /** S3 bucket policy documents, serialized (CloudFormation only). */
  readonly maxBucketPolicyBytes?: number;
}

export const CLOUDFORMATION_LIMITS: TemplateLimits = {
  maxResources: 500,
  maxParameters: 200,
  maxOutputs: 200,
  maxMappings: 200,
  maxTemplateBytes: 1_000_000,
  maxBucketPolicyBytes: 20_480,
};

export const ROS_TEMPLATE_LIMITS: TemplateLimits = {
  maxResources: 200,
  // The same documented figures the deploy command checks its CreateStack/CreateChangeSet inputs against.
  maxParameters: ROS_LIMITS.maxParameters,
  maxTemplateBytes: ROS_LIMITS.templateBodyMaxBytes,
};

export interface TemplateFigures {
  readonly file: string;
  readonly bytes: number;
  readonly resources: number;
  readonly parameters: number;
  readonly outputs: number;
  readonly mappings: number;
  /** The largest bucket policy in the template, serialized; 0 when there is none. */
  readonly largestBucketPolicyBytes: number;
}

export class TemplateLimitError extends Error {
  constructor(readonly violations: readonly string[]) {
    super(
      `Synthesized templates exceed deployment limits (nothing was written to the output folders):\n${violations.map((violation) => `  - ${violation}`).join('\n')}`,
    );
    this.name = 'TemplateLimitError';
  }
}

/** Counts what the limits are about in one template file. */
export function templateFigures(file: string): TemplateFigures {
  const text = fs.readFileSync(file, 'utf8');
  const template = JSON.parse(text) as Partial<Record<'Resources' | 'Parameters' | 'Outputs' | 'Mappings', Record<string, unknown>>>;
  const resources = Object.values(template.Resources ?? {}) as ReadonlyArray<
    { Type?: string; Properties?: { PolicyDocument?: unknown } } | undefined
  >;
  const policies = resources
    .filter((resource) => resource?.Type === 'AWS::S3::BucketPolicy')
    .map((resource) => Buffer.byteLength(JSON.stringify(resource?.Properties?.PolicyDocument ?? {}), 'utf8'));
  return {
    file,
    bytes: Buffer.byteLength(text, 'utf8'),
    resources: resources.length,
    parameters: Object.keys(template.Parameters ?? {}).length,
    outputs: Object.keys(template.Outputs ?? {}).length,
    mappings: Object.keys(template.Mappings ?? {}).length,
    largestBucketPolicyBytes: Math.max(0, ...policies),
  };
}

/** Every way `figures` breaks `limits`, as sentences naming the file, the figure, the limit and what to do. */
export function limitViolations(
  figures: TemplateFigures,
  engine: 'CloudFormation' | 'ROS',
  limits: TemplateLimits,
  displayName = figures.file,
): string[] {
  const found: string[] = [];
  const over = (count: number, max: number | undefined, what: string, fix: string) => {
    if (max !== undefined && count > max) found.push(`${displayName}: ${count} ${what}; ${engine} allows at most ${max}. ${fix}`);
  };
  // Every stack holds exactly one site, so a count over a limit means one site declares too much, not too many sites.
  const declareLess = 'Each stack holds one site; reduce what that site declares (cache rules, hotlink entries, tags)';
  over(figures.resources, limits.maxResources, 'resources', declareLess);
  over(figures.parameters, limits.maxParameters, 'parameters', declareLess);
  over(figures.outputs, limits.maxOutputs, 'outputs', declareLess);
  over(figures.mappings, limits.maxMappings, 'mappings', declareLess);
  over(figures.bytes, limits.maxTemplateBytes, 'bytes of template', 'Shorten cache rules, tags or descriptions');
  over(
    figures.largestBucketPolicyBytes,
    limits.maxBucketPolicyBytes,
    'bytes in a bucket policy',
    'S3 refuses a larger policy; shorten the referer or hotlink lists',
  );
  return found;
}

export interface AssemblyLimits {
  readonly cloudFormation: TemplateLimits;
  readonly ros: TemplateLimits;
}

export const DEPLOYMENT_LIMITS: AssemblyLimits = { cloudFormation: CLOUDFORMATION_LIMITS, ros: ROS_TEMPLATE_LIMITS };

/**
 * Checks every template of both synthesized apps. Throws one TemplateLimitError listing every violation; returns the
 * figures otherwise, so callers (the bench, the scale tests) can show how close a stage is to a limit.
 */
export function assertWithinLimits(
  awsDir: string,
  rosDir: string,
  limits: AssemblyLimits = DEPLOYMENT_LIMITS,
  displayDirs: { aws: string; ros: string } = { aws: awsDir, ros: rosDir },
): TemplateFigures[] {
  const violations: string[] = [];
  const figures: TemplateFigures[] = [];
  for (const [dir, shown, engine, engineLimits] of [
    [awsDir, displayDirs.aws, 'CloudFormation', limits.cloudFormation],
    [rosDir, displayDirs.ros, 'ROS', limits.ros],
  ] as const) {
    for (const file of templatesIn(dir)) {
      const counted = templateFigures(file);
      figures.push(counted);
      violations.push(...limitViolations(counted, engine, engineLimits, path.join(shown, path.basename(file))));
    }
  }
  if (violations.length > 0) throw new TemplateLimitError(violations);
  return figures;
}
