import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StageConfig } from '../config/resolve-stage';
import { stageOutdirs } from '../synth/synthesize-stage';
import { cdkDiffArgs } from './aws/cdk-runner';
import { reportUnownedStacks, type DeployDependencies, type OwnershipOptions } from './deploy-stage';
import { acquireStageLockOrReport } from './deploy-lock';
import { outputsFilePath, readDeployOutputsIfPresent } from './deploy-outputs-file';
import { exitCodeOf } from '../errors';
import { cdnCredentialVersions, pinnedSecretVersions, rosParametersFor, type OriginSecretAccess } from './origin-secrets-for-ros';
import { runPreflight } from './preflight';

export interface DiffOptions extends OwnershipOptions {
  readonly projectDir: string;
  readonly profile?: string;
  /** Exit 1 when anything would change (for CI gates). */
  readonly fail?: boolean;
}

/**
 * `diff`: both stacks against what is deployed, without changing anything. AWS: `cdk diff` of the synthesized
 * assembly. ROS: a change set that is created, read and deleted, never executed.
 */
export async function diffStage(
  stage: StageConfig,
  deps: Pick<DeployDependencies, 'preflight' | 'synth' | 'cdk' | 'ros' | 'secretsManager' | 'reporter' | 'inventory'>,
  options: DiffOptions,
): Promise<number> {
  const { reporter } = deps;
  // Diff synthesizes into the stage's folders and reads what deploy writes: never while a deploy of the stage runs.
  const lock = acquireStageLockOrReport(stage.stage, 'diff', options.projectDir, reporter);
  if (typeof lock === 'number') return lock;
  try {
    return await diffUnderLock(stage, deps, options);
  } finally {
    lock.release();
  }
}

async function diffUnderLock(
  stage: StageConfig,
  deps: Pick<DeployDependencies, 'preflight' | 'synth' | 'cdk' | 'ros' | 'secretsManager' | 'reporter' | 'inventory'>,
  options: DiffOptions,
): Promise<number> {
  const { reporter } = deps;
  reporter.step(`Preflight checks for stage "${stage.stage}" (credentials)`);
  const preflight = await runPreflight(stage, deps.preflight, reporter, 'credentials');
  if (!preflight.ok) {
    reporter.warn('Preflight failed; nothing was compared. Fix the lines marked ✗ above and run the diff again.');
    return exitCodeOf('PREFLIGHT_FAILED');
  }
  // The same functions the deploy uses, read-only: what is previewed is what a deploy would pass.
  const secretAccess: OriginSecretAccess = { purpose: 'preview', secretsManager: deps.secretsManager };
  const awsContext = await pinnedSecretVersions(stage, secretAccess);
  const outdirs = stageOutdirs(stage.stage);
  const deployed = readDeployOutputsIfPresent(outputsFilePath(stage.stage, options.projectDir), stage.stage);
  const cdnVersions = await cdnCredentialVersions(
    stage,
    secretAccess,
    Object.fromEntries(Object.entries(deployed.sites).map(([id, entry]) => [id, entry.aws.outputs])),
  );
  const synth = deps.synth(stage, {
    projectDir: options.projectDir,
    awsOutdir: outdirs.aws,
    rosOutdir: outdirs.ros,
    awsContext,
    cdnCredentialVersions: cdnVersions,
  });

  reporter.step('AWS stacks (cdk diff)');
  const awsStacks = stage.sites.flatMap((site) => [
    site.stackNames.origin,
    ...(site.dns.provider === 'route53' ? [site.stackNames.route53] : []),
  ]);
  const aws = await deps.cdk.run(cdkDiffArgs({ stacks: awsStacks, app: outdirs.aws, failOnChange: options.fail }), {
    profile: options.profile,
  });
  let changed = aws.exitCode !== 0;

  for (const site of stage.sites) {
    reporter.step(`Alibaba ROS stack ${site.stackNames.cdn} (change set preview, not executed)`);
    const template = synth.rosTemplates.find((file) => path.basename(file) === `${site.stackNames.cdn}.template.json`)!;
    const { parameters, noEcho } = await rosParametersFor(site, deployed.sites[site.id]?.aws.outputs ?? {}, secretAccess);
    const preview = await deps.ros.preview({
      stackName: site.stackNames.cdn,
      templateBody: fs.readFileSync(template, 'utf8'),
      parameters,
      noEchoParameterKeys: noEcho,
    });
    reporter.info(preview.hasChanges ? preview.preview.text : 'no changes');
    if (preview.destructive) reporter.warn('this change replaces or removes resources (see above)');
    changed ||= preview.hasChanges;
  }
  // Not a change a deploy would make (it keeps them running), so not counted for --fail: reported, like deploy does.
  if (deps.inventory) await reportUnownedStacks(stage, deps.inventory, reporter, options);
  return options.fail && changed ? 1 : 0;
}
