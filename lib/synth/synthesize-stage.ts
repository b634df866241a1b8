import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StageConfig } from '../config/resolve-stage';
import { S3AlicdnError } from '../errors';
import { assertReplaceableOutputFolders, writeOutputMarker } from './output-folders';
import { templatesIn } from './template-files';
import { type AssemblyLimits, assertWithinLimits } from './template-limits';

export const DEFAULT_AWS_OUTDIR = 'cdk.out';
export const DEFAULT_ROS_OUTDIR = 'ros.out';

/**
 * The output folders of the deploy path (deploy, diff, destroy, rotate): one pair per stage, relative to the project.
 * Synth replaces its folders wholesale and `cdk deploy --app <folder>` reads its assembly from there (and writes the
 * outputs file beside it) while the ROS templates are read later, so two stages sharing cdk.out and ros.out would
 * pull the folders out from under each other. `npm run synth` keeps cdk.out and ros.out.
 */
export function stageOutdirs(stage: string): { readonly aws: string; readonly ros: string } {
  const base = path.join(STAGE_OUTPUT_ROOT, stage);
  return { aws: path.join(base, DEFAULT_AWS_OUTDIR), ros: path.join(base, DEFAULT_ROS_OUTDIR) };
}

export const STAGE_OUTPUT_ROOT = 'deploy.out';

export interface SynthOptions {
  readonly projectDir?: string;
  readonly awsOutdir?: string;
  readonly rosOutdir?: string;
  /** Extra CDK context for the AWS app, e.g. the secret version pins the deploy command sets. */
  readonly awsContext?: Record<string, string>;
  /**
   * Per site id, a label of the credential version the CDN is given (a digest of the secret's version id). It names
   * the origin-auth DomainConfig, so each credential version is a new ROS resource (see lib/ros/cdn-stack.ts).
   */
  readonly cdnCredentialVersions?: Readonly<Record<string, string>>;
  /**
   * Synthesize the ROS app only, leaving the AWS assembly in `awsOutdir` as it is: the deploy's second synth, once a
   * new credential version is known after the origin stack was deployed.
   */
  readonly rosOnly?: boolean;
  /** Limit to these site ids (default: every site of the stage). */
  readonly siteIds?: readonly string[];
  /** Per-template deployment limits to check. @default DEPLOYMENT_LIMITS, the documented CloudFormation and ROS limits */
  readonly limits?: AssemblyLimits;
  /** How the output folders are named in a refusal. @default { aws: '--aws-out', ros: '--ros-out' } */
  readonly outdirFlags?: { readonly aws: string; readonly ros: string };
}

export interface SynthResult {
  readonly awsOutdir: string;
  readonly rosOutdir: string;
  readonly awsTemplates: string[];
  readonly rosTemplates: string[];
}

/**
 * Synthesizes both apps for a stage. Each app is written to a staging folder first and swapped into place only when
 * both succeeded, so a failed synth (a rule finding, a bad property) leaves cdk.out and ros.out as they were.
 */
export function synthesizeStage(stage: StageConfig, options: SynthOptions = {}): SynthResult {
  const projectDir = options.projectDir ?? process.cwd();
  const awsOutdir = path.resolve(projectDir, options.awsOutdir ?? DEFAULT_AWS_OUTDIR);
  const rosOutdir = path.resolve(projectDir, options.rosOutdir ?? DEFAULT_ROS_OUTDIR);
  const selected = selectSites(stage, options.siteIds);
  const flags = options.outdirFlags ?? { aws: '--aws-out', ros: '--ros-out' };
  // Both folders are replaced wholesale: refuse a folder that is not ours before anything is written.
  assertReplaceableOutputFolders(projectDir, [
    { cloud: 'aws', dir: awsOutdir, flag: flags.aws },
    { cloud: 'ros', dir: rosOutdir, flag: flags.ros },
  ]);

  const staging = fs.mkdtempSync(path.join(projectDir, '.synth-staging-'));
  try {
    const awsStaging = path.join(staging, 'aws');
    const rosStaging = path.join(staging, 'ros');
    // Required lazily: a config error never pays for loading aws-cdk-lib or the ROS libraries. synthesizeStage is
    // synchronous (the CDK apps synthesize synchronously), so a dynamic import() is not an option here.
    /* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports */
    const { buildAwsApp } = require('../aws/aws-app') as typeof import('../aws/aws-app');
    const { buildRosApp } = require('../ros/ros-app') as typeof import('../ros/ros-app');
    /* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports */
    if (!options.rosOnly) {
      try {
        buildAwsApp(selected, { outdir: awsStaging, context: options.awsContext }).synth();
      } catch (error) {
        throw keepValidationReport(error as Error, awsStaging, projectDir);
      }
    }
    buildRosApp(selected, rosStaging, options.cdnCredentialVersions).synth();
    if (!options.rosOnly) writeOutputMarker(awsStaging, 'aws');
    writeOutputMarker(rosStaging, 'ros');
    // Before the swap, so a stage over a deployment limit leaves the output folders as they were, like any failure.
    assertWithinLimits(options.rosOnly ? awsOutdir : awsStaging, rosStaging, options.limits, {
      aws: path.relative(projectDir, awsOutdir) || '.',
      ros: path.relative(projectDir, rosOutdir) || '.',
    });
    if (!options.rosOnly) replaceDir(awsStaging, awsOutdir);
    replaceDir(rosStaging, rosOutdir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return {
    awsOutdir,
    rosOutdir,
    awsTemplates: templatesIn(awsOutdir),
    rosTemplates: templatesIn(rosOutdir),
  };
}

export function selectSites(stage: StageConfig, siteIds?: readonly string[]): StageConfig {
  if (!siteIds || siteIds.length === 0) return stage;
  const known = stage.sites.map((site) => site.id);
  const unknown = siteIds.filter((id) => !known.includes(id) && !stage.sites.some((site) => site.domain === id));
  if (unknown.length > 0) {
    throw new S3AlicdnError(
      'USAGE',
      `--site: ${unknown.map((id) => JSON.stringify(id)).join(', ')} not in stage "${stage.stage}"; sites: ${known.join(', ')}`,
    );
  }
  return { ...stage, sites: stage.sites.filter((site) => siteIds.includes(site.id) || siteIds.includes(site.domain)) };
}

/** The failed synth's report would vanish with the staging folder; keep it beside the project and say where. */
function keepValidationReport(error: Error, stagingDir: string, projectDir: string): Error {
  const report = path.join(stagingDir, 'validation-report.json');
  if (!fs.existsSync(report)) return error;
  const kept = path.join(projectDir, 'validation-report.json');
  fs.copyFileSync(report, kept);
  error.message = error.message
    .split(path.relative(projectDir, report))
    .join(path.relative(projectDir, kept) || kept)
    .split(report)
    .join(kept);
  return error;
}

function replaceDir(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const old = `${to}.old-${process.pid}`;
  if (fs.existsSync(to)) fs.renameSync(to, old);
  fs.renameSync(from, to);
  fs.rmSync(old, { recursive: true, force: true });
}
