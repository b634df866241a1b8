import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { formatPath } from '../config/config-error';
import { S3AlicdnError } from '../errors';

/**
 * The one outputs file `deploy` writes for both clouds: `deploy-outputs.<stage>.json`. `outputs` prints it and
 * `verify` reads it. It never holds a secret: only names, ARNs of secrets, hosts and URLs.
 *
 * {
 *   "stage": "example",
 *   "updatedAt": "2026-11-28T17:00:00.000Z",
 *   "sites": {
 *     "test-test-com": {
 *       "domain": "test.test.com",
 *       "aws":  { "stackName": "...-origin", "outputs": { "BucketName": "...", "OriginHost": "...", ... } },
 *       "ros":  { "stackName": "...-cdn", "stackId": "...", "regionId": "...", "outputs": { "CdnCname": "...", ... } },
 *       "route53": { "stackName": "...-dns" },            // only with dns.provider route53
 *       "dns":  { "provider": "alidns", "name": "test.test.com", "cnameTarget": "test.test.com.w.kunlunsl.com" }
 *     }
 *   }
 * }
 */
const stringMap = z.record(z.string(), z.string());

const siteOutputsSchema = z.strictObject({
  domain: z.string().min(1),
  aws: z.strictObject({ stackName: z.string().min(1), outputs: stringMap }),
  ros: z
    .strictObject({ stackName: z.string().min(1), stackId: z.string().min(1), regionId: z.string().min(1), outputs: stringMap })
    .optional(),
  route53: z.strictObject({ stackName: z.string().min(1) }).optional(),
  dns: z
    .strictObject({ provider: z.enum(['alidns', 'route53', 'none']), name: z.string().min(1), cnameTarget: z.string().min(1) })
    .optional(),
});

const outputsFileSchema = z.strictObject({
  stage: z.string().min(1),
  updatedAt: z.string().min(1),
  sites: z.record(z.string(), siteOutputsSchema),
});

export type SiteDeployOutputs = z.output<typeof siteOutputsSchema>;
export type DeployOutputsFile = z.output<typeof outputsFileSchema>;

export function outputsFilePath(stage: string, projectDir = process.cwd()): string {
  return path.join(projectDir, `deploy-outputs.${stage}.json`);
}

export class OutputsFileError extends S3AlicdnError {
  constructor(file: string, problem: string) {
    super('BAD_FILE', `${file}: ${problem}`);
  }
}

export function readDeployOutputs(file: string): DeployOutputsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputsFileError(
      file,
      code === 'ENOENT' ? 'not found; run `npm run deploy` first' : `not valid JSON (${(error as Error).message})`,
    );
  }
  const result = outputsFileSchema.safeParse(raw);
  if (!result.success) {
    throw new OutputsFileError(file, result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; '));
  }
  return result.data;
}

/** Reads the existing file if any, so a deploy of one site keeps the other sites' entries. */
export function readDeployOutputsIfPresent(file: string, stage: string): DeployOutputsFile {
  if (!fs.existsSync(file)) return { stage, updatedAt: new Date(0).toISOString(), sites: {} };
  const existing = readDeployOutputs(file);
  if (existing.stage !== stage) throw new OutputsFileError(file, `belongs to stage "${existing.stage}", not "${stage}"`);
  return existing;
}

/** Writes through a temporary file and a rename, so an interrupted write never leaves a half file behind. */
export function writeDeployOutputs(file: string, outputs: DeployOutputsFile): void {
  const checked = outputsFileSchema.parse(outputs);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(checked, null, 2)}\n`);
  fs.renameSync(temporary, file);
}
