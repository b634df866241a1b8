import type { StageConfig } from '../config/resolve-stage';
import { exitCodeOf, S3AlicdnError } from '../errors';
import { modesRotating, originAccessFor, type RotationTarget } from '../origin-access';
import { secretNamesFor } from '../origin-access/secret-names';
import { ORIGIN_STACK_OUTPUTS } from '../aws/stack-interface';
import { reconcileReaderKey, retirePreviousReaderKeys } from './aws/reader-key';
import { beginRefererRotation, finishRefererRotation } from './aws/referer-secret';
import { acquireStageLockOrReport } from './deploy-lock';
import { outputsFilePath, readDeployOutputs } from './deploy-outputs-file';
import { deployStage, type DeployDependencies, type DeployOptions, type DeploySummary } from './deploy-stage';
import { cdnHeldReaderKeyId } from './origin-secrets-for-ros';

export interface RotateOptions extends DeployOptions {
  readonly target: RotationTarget;
  /** Reader keys: how long a replaced key stays deactivated (for a rollback) before a later rotate deletes it. */
  readonly gracePeriodMs?: number;
}

/**
 * Zero-downtime rotation, the steps in the order that keeps the CDN working throughout:
 * - reader key (signed): the reader key state machine (aws/reader-key.ts) creates and stores a new key (or resumes an
 *   unfinished rotation, or repairs a dead key); a deploy gives the CDN the new key and proves, through the CDN API,
 *   that the CDN holds it; only then is the old key deactivated (deleted by a later run once the grace period is over).
 * - referer secret: a new value becomes "current" and the old one "previous"; a deploy makes the bucket policy accept
 *   both (AWS first) and the CDN send the new one; "previous" is set to "current"; a second deploy drops the old value.
 * A failure stops the sequence; re-running `rotate` picks up from the state it finds.
 */
export async function rotateStage(stage: StageConfig, deps: DeployDependencies, options: RotateOptions): Promise<number> {
  // One lock for the whole sequence (the deploys in between included), taken before any secret or key changes.
  const lock = acquireStageLockOrReport(stage.stage, 'rotate', options.projectDir, deps.reporter);
  if (typeof lock === 'number') return lock;
  try {
    // The deploys in between cover the rotating sites only; the other sites of the stage still own their stacks.
    const configuredSiteIds = options.configuredSiteIds ?? stage.sites.map((site) => site.id);
    return await rotateUnderLock(stage, deps, { ...options, heldLock: lock, configuredSiteIds, prune: false });
  } finally {
    lock.release();
  }
}

async function rotateUnderLock(stage: StageConfig, deps: DeployDependencies, options: RotateOptions): Promise<number> {
  const sites = stage.sites.filter((site) => originAccessFor(site).rotationTarget === options.target);
  if (sites.length === 0) {
    const modes = modesRotating(options.target)
      .map((mode) => `"${mode.name}"`)
      .join(' or ');
    deps.reporter.warn(`No site of stage "${stage.stage}" uses mode ${modes}, so there is no ${options.target} to rotate.`);
    // The stage cannot have what --target names: a request that does not fit, not a failed attempt.
    return exitCodeOf('USAGE');
  }
  const scoped: StageConfig = { ...stage, sites };
  const { reporter } = deps;

  if (options.target === 'reader-key') {
    const deployed = readDeployOutputs(outputsFilePath(stage.stage, options.projectDir));
    const targets = sites.map((site) => {
      const outputs = deployed.sites[site.id]?.aws.outputs ?? {};
      const userName = outputs[ORIGIN_STACK_OUTPUTS.readerUserName];
      const secretId = outputs[ORIGIN_STACK_OUTPUTS.readerSecretArn];
      if (!userName || !secretId)
        throw new S3AlicdnError('BAD_FILE', `${site.domain}: no reader outputs in the deploy outputs file; deploy the stage first.`);
      return { site, userName, secretId, secretsManager: deps.secretsManager(site.bucket.region) };
    });
    for (const target of targets) {
      reporter.step(`${target.site.domain}: creating the next reader key`);
      const result = await reconcileReaderKey({
        iam: deps.iam(),
        ...target,
        cdnHeldAccessKeyId: await cdnHeldReaderKeyId(deps.cdn, target.site.domain),
        rotate: true,
      });
      for (const action of result.actions) reporter.info(action);
    }
    // The deploy fails unless the CDN itself holds the new key, active (checked through the CDN API); and ROS masks
    // NoEcho values, so its "no changes" is not trusted either (the engine executes anyway, or fails).
    const withNewKey = await deployStage(scoped, deps, { ...options, requireRosParametersApplied: true });
    if (!withNewKey.ok) return failedDeployExitCode(withNewKey);
    for (const target of targets) {
      reporter.step(`${target.site.domain}: retiring the previous reader key`);
      const result = await retirePreviousReaderKeys({
        iam: deps.iam(),
        ...target,
        gracePeriodMs: options.gracePeriodMs,
        cdnHeldAccessKeyId: await cdnHeldReaderKeyId(deps.cdn, target.site.domain),
      });
      for (const retired of result.retired) {
        reporter.info(
          `${retired.accessKeyId}: ${retired.action}${'deleteAfter' in retired ? ` (deleted by a rotate after ${retired.deleteAfter.toISOString()})` : ''}`,
        );
      }
    }
    return 0;
  }

  // Each half of the rotation changes every selected site's secret, then deploys them together.
  const changeEachSecret = async (what: string, change: typeof beginRefererRotation | typeof finishRefererRotation) => {
    for (const site of sites) {
      reporter.step(`${site.domain}: ${what}`);
      const result = await change({
        secretsManager: deps.secretsManager(site.bucket.region),
        secretId: secretNamesFor(site).refererSecret,
      });
      reporter.info(result.message);
    }
  };
  await changeEachSecret('new referer secret value (the old one stays accepted)', beginRefererRotation);
  const first = await deployStage(scoped, deps, { ...options, requireRosParametersApplied: true });
  if (!first.ok) return failedDeployExitCode(first);
  await changeEachSecret('retiring the old referer secret value', finishRefererRotation);
  const second = await deployStage(scoped, deps, options);
  return second.ok ? 0 : failedDeployExitCode(second);
}

function failedDeployExitCode(summary: DeploySummary): number {
  return exitCodeOf(summary.code ?? 'DEPLOY_FAILED');
}
