import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigError, formatPath } from '../config/config-error';

/**
 * `ros.json` is to the ROS app what `cdk.json` is to the AWS app: the app command, its output folder and context.
 * The output folder must differ from cdk.out, or the two cloud assemblies overwrite each other's manifest.
 */
const rosProjectSchema = z.strictObject({
  app: z.string({ error: 'must be the command that runs the ROS app, e.g. "node --import tsx bin/ros-app.ts"' }).min(1),
  output: z
    .string({ error: 'must be a folder name such as "ros.out"' })
    .refine((value) => path.normalize(value) !== 'cdk.out', { message: 'must not be cdk.out: the AWS app writes there' })
    .default('ros.out'),
  context: z.record(z.string(), z.unknown()).default({}),
  languageInfo: z.string().optional(),
});

export type RosProjectFile = z.output<typeof rosProjectSchema>;

export function readRosProjectFile(projectDir = process.cwd()): RosProjectFile {
  const file = path.join(projectDir, 'ros.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('ros.json', [
      { path: '(file)', value: 'ros.json', allowed: `must exist and be valid JSON (${(error as Error).message})` },
    ]);
  }
  const result = rosProjectSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      'ros.json',
      result.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        value: (raw as Record<string, unknown> | undefined)?.[issue.path[0] as string],
        allowed: issue.message,
      })),
    );
  }
  return result.data;
}
