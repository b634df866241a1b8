import type { Command } from 'commander';
import { Option } from 'commander';
import { ConfigError } from '../config/config-error';
import { loadStage } from '../config/load-stage';
import type { StageConfig } from '../config/resolve-stage';
import { selectSites } from '../synth/synthesize-stage';

/**
 * deploy, diff, verify, destroy, outputs and rotate. Each action loads its implementation (and the cloud SDKs) only
 * when it runs. Exit codes: 0 success, 1 failure or declined, 2 bad flags or configuration.
 */
interface CommonFlags {
  stage: string;
  site?: string[];
  profile?: string;
  region?: string;
  yes?: boolean;
  ci?: boolean;
}

const stageOption = () => new Option('-s, --stage <name>', 'stage to use: config/<name>.json').env('S3ALICDN_STAGE').default('example');
const siteOption = () => new Option('--site <id...>', 'only these sites (site id such as test-test-com, or its domain)');
const profileOption = () => new Option('--profile <name>', 'AWS profile (default: AWS_PROFILE or the default chain)');
const regionOption = () => new Option('--region <region>', 'AWS region for account-wide calls (default: the first site\'s bucket region)');

function loadSelectedStage(flags: CommonFlags): StageConfig {
  return selectSites(loadStage(flags.stage), flags.site);
}

async function withStage(flags: CommonFlags, run: (stage: StageConfig) => Promise<number>): Promise<void> {
  let stage: StageConfig;
  try {
    if (flags.profile) process.env.AWS_PROFILE = flags.profile;
    stage = loadSelectedStage(flags);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    process.exitCode = 2;
    return;
  }
  process.exitCode = await run(stage);
}

async function realDependencies(stage: StageConfig, flags: CommonFlags & { recreateFailedStack?: boolean }) {
  const { createReporter } = await import('../deploy/reporter');
  const { createRealDeployDependencies } = await import('../deploy/real-dependencies');
  const reporter = createReporter({ ci: Boolean(flags.ci) });
  return createRealDeployDependencies({
    stage,
    projectDir: process.cwd(),
    reporter,
    profile: flags.profile,
    region: flags.region,
    interactive: !flags.ci,
    recreateFailedStack: flags.recreateFailedStack,
  });
}

export function addStageCommands(program: Command): void {
  program
    .command('deploy')
    .description('Preflight, then the AWS origin stack (cdk deploy), then the Alibaba ROS CDN stack through a change set; writes deploy-outputs.<stage>.json.')
    .addOption(stageOption())
    .addOption(siteOption())
    .option('-y, --yes', 'approve every change without asking (CI)')
    .option('--ci', 'non-interactive: progress on stderr, a JSON summary on stdout')
    .option('--recreate-failed-stack', 'delete and re-create a ROS stack whose first create failed')
    .addOption(profileOption())
    .addOption(regionOption())
    .action((flags: CommonFlags & { recreateFailedStack?: boolean }) =>
      withStage(flags, async (stage) => {
        const { deployStage } = await import('../deploy/deploy-stage');
        const summary = await deployStage(stage, await realDependencies(stage, flags), { projectDir: process.cwd(), yes: Boolean(flags.yes), profile: flags.profile });
        return summary.ok ? 0 : 1;
      }),
    );

  program
    .command('diff')
    .description('Show what a deploy would change in both clouds (cdk diff; a ROS change set that is never executed).')
    .addOption(stageOption())
    .addOption(siteOption())
    .option('--fail', 'exit 1 when anything would change')
    .addOption(profileOption())
    .addOption(regionOption())
    .action((flags: CommonFlags & { fail?: boolean }) =>
      withStage(flags, async (stage) => {
        const { diffStage } = await import('../deploy/diff-stage');
        return diffStage(stage, await realDependencies(stage, flags), { projectDir: process.cwd(), profile: flags.profile, fail: flags.fail });
      }),
    );

  program
    .command('verify')
    .description('After a deploy: DNS CNAME, a probe object through the CDN over HTTPS, HTTP->HTTPS redirect, direct S3 refused. Exit 1 on any failure.')
    .addOption(stageOption())
    .addOption(siteOption())
    .option('--json', 'print the report as JSON')
    .option('--ci', 'same as --json')
    .addOption(profileOption())
    .action((flags: CommonFlags & { json?: boolean }) =>
      withStage(flags, async (stage) => {
        const { runVerifyCommand } = await import('./verify-command');
        const { createS3Client } = await import('../deploy/real-dependencies');
        return runVerifyCommand(stage, { json: flags.json || flags.ci }, { s3: createS3Client, print: (text) => console.log(text) });
      }),
    );

  program
    .command('publish')
    .description('Upload a built folder to a site\'s bucket (only what changed, with Content-Type and Cache-Control), then refresh the CDN for it.')
    .addOption(stageOption())
    .addOption(siteOption())
    .option('--dir <folder>', 'the built folder to publish, e.g. dist')
    .option('--prune', 'delete objects that are no longer in the folder (after the refresh; never verify probes)')
    .option('--dry-run', 'show what would be uploaded, deleted and refreshed; change nothing')
    .option('--wait', 'wait until the CDN refresh tasks are complete')
    .option('--wait-timeout <seconds>', 'give up waiting after this long', '900')
    .option('--concurrency <n>', 'files uploaded at once', '16')
    .option('--ci', 'no progress line; a JSON summary on stdout')
    .addOption(profileOption())
    .action((flags: CommonFlags & { dir?: string; prune?: boolean; dryRun?: boolean; wait?: boolean; waitTimeout?: string; concurrency?: string }) =>
      withStage(flags, async (stage) => {
        const { runPublishCommand, realPublishDependencies } = await import('./publish-command');
        return runPublishCommand(stage, flags, realPublishDependencies());
      }),
    );

  program
    .command('destroy')
    .description('Delete the ROS CDN stacks, then the AWS stacks. Origin buckets and their data are kept unless --delete-data.')
    .addOption(stageOption())
    .addOption(siteOption())
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--delete-data', 'also empty and delete the origin buckets (every object version; irreversible)')
    .option('--ci', 'non-interactive')
    .addOption(profileOption())
    .addOption(regionOption())
    .action((flags: CommonFlags & { deleteData?: boolean }) =>
      withStage(flags, async (stage) => {
        const { destroyStage } = await import('../deploy/destroy-stage');
        const { createS3Client } = await import('../deploy/real-dependencies');
        const deps = await realDependencies(stage, flags);
        return destroyStage(stage, { ...deps, s3: createS3Client }, { projectDir: process.cwd(), yes: Boolean(flags.yes), deleteData: Boolean(flags.deleteData), profile: flags.profile });
      }),
    );

  program
    .command('outputs')
    .description('Print the outputs of the last deploy of a stage (both clouds).')
    .addOption(stageOption())
    .option('--json', 'print the outputs file as JSON')
    .action(async (flags: { stage: string; json?: boolean }) => {
      const { runOutputs } = await import('./outputs-command');
      try {
        process.exitCode = runOutputs(flags);
      } catch (error) {
        console.error((error as Error).message);
        process.exitCode = 1;
      }
    });

  program
    .command('rotate')
    .description('Zero-downtime rotation of the signed-mode reader key or the referer secret, deploying in between.')
    .addOption(stageOption())
    .addOption(siteOption())
    .addOption(new Option('--target <what>', 'what to rotate').choices(['reader-key', 'referer-secret']).makeOptionMandatory())
    .option('--grace-hours <hours>', 'reader keys: keep a replaced key deactivated this long before deleting it', '24')
    .option('-y, --yes', 'approve every change without asking')
    .option('--ci', 'non-interactive')
    .addOption(profileOption())
    .addOption(regionOption())
    .action((flags: CommonFlags & { target: 'reader-key' | 'referer-secret'; graceHours: string }) =>
      withStage(flags, async (stage) => {
        const hours = Number(flags.graceHours);
        if (!Number.isFinite(hours) || hours < 0) {
          console.error(`--grace-hours: "${flags.graceHours}" is not allowed; give a number of hours, 0 or more`);
          return 2;
        }
        const { rotateStage } = await import('../deploy/rotate-stage');
        return rotateStage(stage, await realDependencies(stage, flags), {
          projectDir: process.cwd(),
          yes: Boolean(flags.yes),
          profile: flags.profile,
          target: flags.target,
          gracePeriodMs: hours * 3_600_000,
        });
      }),
    );
}
