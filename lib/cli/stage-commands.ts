import type { Command } from 'commander';
import { Option } from 'commander';
import { loadStage } from '../config/load-stage';
import type { StageConfig } from '../config/resolve-stage';
import { ROTATION_TARGETS, type RotationTarget } from '../origin-access/origin-access-mode';
import type { DeployDependencies } from '../deploy/deploy-stage';
import { exitCodeOf, S3AlicdnError } from '../errors';
import { selectSites } from '../synth/synthesize-stage';
import { reportCommandFailure } from './command-failure';
import {
  parseDuration,
  parseTimeout,
  profileOption,
  regionOption,
  reviewWaitOption,
  siteOption,
  stageOption,
  timeoutOption,
} from './options';

/**
 * deploy, diff, verify, destroy, outputs and rotate. Each action loads its implementation (and the cloud SDKs) only
 * when it runs. Exit codes: 0 success, 1 failure or declined, 2 bad flags or configuration (lib/errors.ts).
 */
interface CommonFlags {
  stage: string;
  site?: string[];
  profile?: string;
  region?: string;
  yes?: boolean;
  ci?: boolean;
}

type DependencyFlags = CommonFlags & { recreateFailedStack?: boolean; timeout?: string };

/** Where the commands run and what they talk to; the defaults are the working directory and the real clouds. */
export interface StageCommandEnvironment {
  readonly projectDir: string;
  readonly dependencies: (stage: StageConfig, flags: DependencyFlags, projectDir: string) => Promise<DeployDependencies>;
  readonly printError: (text: string) => void;
}

/** Loads the stage, runs the command and turns any failure into its exit status: 2 for bad flags or configuration. */
async function withStage(
  flags: CommonFlags,
  environment: StageCommandEnvironment,
  run: (stage: StageConfig, fullStage: StageConfig) => Promise<number>,
): Promise<void> {
  try {
    if (flags.profile) process.env.AWS_PROFILE = flags.profile;
    const fullStage = loadStage(flags.stage, environment.projectDir);
    process.exitCode = await run(selectSites(fullStage, flags.site), fullStage);
  } catch (error) {
    process.exitCode = reportCommandFailure(error, environment.printError);
  }
}

async function realDependencies(stage: StageConfig, flags: DependencyFlags, projectDir: string): Promise<DeployDependencies> {
  const { createReporter } = await import('../deploy/reporter');
  const { createRealDeployDependencies } = await import('../deploy/real-dependencies');
  const reporter = createReporter({ ci: Boolean(flags.ci) });
  return createRealDeployDependencies({
    stage,
    projectDir,
    reporter,
    profile: flags.profile,
    region: flags.region,
    interactive: !flags.ci,
    machineReadableStdout: Boolean(flags.ci),
    recreateFailedStack: flags.recreateFailedStack,
    overallTimeoutMs: parseTimeout(flags.timeout),
  });
}

export function addStageCommands(program: Command, overrides: Partial<StageCommandEnvironment> = {}): void {
  const environment: StageCommandEnvironment = {
    projectDir: process.cwd(),
    dependencies: realDependencies,
    printError: console.error,
    ...overrides,
  };
  const { projectDir } = environment;
  const dependencies = (stage: StageConfig, flags: DependencyFlags) => environment.dependencies(stage, flags, projectDir);
  program
    .command('deploy')
    .description(
      'Preflight, then the AWS origin stack (cdk deploy), then the Alibaba ROS CDN stack through a change set; writes deploy-outputs.<stage>.json.',
    )
    .addOption(stageOption())
    .addOption(siteOption())
    .option('-y, --yes', 'approve every change without asking (CI)')
    .option('--ci', 'non-interactive: progress on stderr, a JSON summary on stdout')
    .option('--recreate-failed-stack', 'delete and re-create a ROS stack whose first create failed')
    .option('--prune', 'also remove the stacks of sites no longer in the configuration (ROS first, then AWS; buckets kept)')
    .option('--delete-data', 'with --prune: also empty and delete those sites’ origin buckets (irreversible)')
    .addOption(reviewWaitOption())
    .addOption(timeoutOption())
    .addOption(profileOption())
    .addOption(regionOption())
    .action((flags: DependencyFlags & { prune?: boolean; deleteData?: boolean; reviewWait?: string }) =>
      withStage(flags, environment, async (stage, fullStage) => {
        parseTimeout(flags.timeout);
        const reviewWaitMs = parseDuration('--review-wait', flags.reviewWait, { allowZero: true });
        if (flags.deleteData && !flags.prune)
          throw new S3AlicdnError('USAGE', '--delete-data: only with --prune (deploy deletes no data otherwise)');
        const { deployStage } = await import('../deploy/deploy-stage');
        const { ownershipFor } = await import('../deploy/stage-inventory');
        const summary = await deployStage(stage, await dependencies(stage, flags), {
          projectDir,
          yes: Boolean(flags.yes),
          profile: flags.profile,
          prune: Boolean(flags.prune),
          deleteData: Boolean(flags.deleteData),
          reviewWaitMs,
          ...ownershipFor(fullStage, projectDir),
        });
        return summary.ok ? 0 : exitCodeOf(summary.code ?? 'DEPLOY_FAILED');
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
      withStage(flags, environment, async (stage, fullStage) => {
        const { diffStage } = await import('../deploy/diff-stage');
        const { ownershipFor } = await import('../deploy/stage-inventory');
        return diffStage(stage, await dependencies(stage, flags), {
          projectDir,
          profile: flags.profile,
          fail: flags.fail,
          ...ownershipFor(fullStage, projectDir),
        });
      }),
    );

  program
    .command('verify')
    .description(
      'After a deploy: DNS CNAME, a probe object through the CDN over HTTPS, HTTP->HTTPS redirect, direct S3 refused. Exit 1 on any failure.',
    )
    .addOption(stageOption())
    .addOption(siteOption())
    .option('--json', 'print the report as JSON')
    .option('--ci', 'same as --json')
    .addOption(profileOption())
    .action((flags: CommonFlags & { json?: boolean }) =>
      withStage(flags, environment, async (stage) => {
        const { runVerifyCommand } = await import('./verify-command');
        const { createS3Client } = await import('../deploy/real-dependencies');
        return runVerifyCommand(
          stage,
          { json: flags.json || flags.ci },
          { s3: createS3Client, print: (text) => console.log(text) },
          projectDir,
        );
      }),
    );

  program
    .command('publish')
    .description(
      "Upload a built folder to a site's bucket (only what changed, with Content-Type and Cache-Control), then refresh the CDN for it.",
    )
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
    .action(
      (
        flags: CommonFlags & {
          dir?: string;
          prune?: boolean;
          dryRun?: boolean;
          wait?: boolean;
          waitTimeout?: string;
          concurrency?: string;
        },
      ) =>
        withStage(flags, environment, async (stage) => {
          const { runPublishCommand, realPublishDependencies } = await import('./publish-command');
          return runPublishCommand(stage, flags, realPublishDependencies(), projectDir);
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
    .addOption(timeoutOption())
    .addOption(profileOption())
    .addOption(regionOption())
    .action((flags: DependencyFlags & { deleteData?: boolean }) =>
      withStage(flags, environment, async (stage) => {
        parseTimeout(flags.timeout);
        const { destroyStage } = await import('../deploy/destroy-stage');
        const { createS3Client } = await import('../deploy/real-dependencies');
        const deps = await dependencies(stage, flags);
        return destroyStage(
          stage,
          { ...deps, s3: createS3Client },
          { projectDir, yes: Boolean(flags.yes), deleteData: Boolean(flags.deleteData), profile: flags.profile },
        );
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
        process.exitCode = runOutputs(flags, projectDir);
      } catch (error) {
        process.exitCode = reportCommandFailure(error, environment.printError);
      }
    });

  program
    .command('rotate')
    .description('Zero-downtime rotation of the signed-mode reader key or the referer secret, deploying in between.')
    .addOption(stageOption())
    .addOption(siteOption())
    .addOption(new Option('--target <what>', 'what to rotate').choices(ROTATION_TARGETS).makeOptionMandatory())
    .option('--grace-hours <hours>', 'reader keys: keep a replaced key deactivated this long before deleting it', '24')
    .option('-y, --yes', 'approve every change without asking')
    .option('--ci', 'non-interactive')
    .addOption(timeoutOption())
    .addOption(profileOption())
    .addOption(regionOption())
    .action((flags: DependencyFlags & { target: RotationTarget; graceHours: string }) =>
      withStage(flags, environment, async (stage, fullStage) => {
        parseTimeout(flags.timeout);
        const hours = Number(flags.graceHours);
        if (!Number.isFinite(hours) || hours < 0) {
          throw new S3AlicdnError('USAGE', `--grace-hours: "${flags.graceHours}" is not allowed; give a number of hours, 0 or more`);
        }
        const { rotateStage } = await import('../deploy/rotate-stage');
        const { ownershipFor } = await import('../deploy/stage-inventory');
        return rotateStage(stage, await dependencies(stage, flags), {
          ...ownershipFor(fullStage, projectDir),
          projectDir,
          yes: Boolean(flags.yes),
          profile: flags.profile,
          target: flags.target,
          gracePeriodMs: hours * 3_600_000,
        });
      }),
    );
}
