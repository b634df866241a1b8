import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StageConfig } from '../config/resolve-stage';
import { cdkDiffArgs } from './aws/cdk-runner';
import type { DeployDependencies } from './deploy-stage';
import { outputsFilePath, readDeployOutputsIfPresent } from './deploy-outputs-file';
import { cdnCredentialVersions, pinnedSecretVersions, rosParametersFor, type OriginSecretAccess } from './origin-secrets-for-ros';

export interface DiffOptions {
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
  deps: Pick<DeployDependencies, 'synth' | 'cdk' | 'ros' | 'secretsManager' | 'reporter'>,
  options: DiffOptions,
): Promise<number> {
  const { reporter } = deps;
  // The same functions the deploy uses, read-only: what is previewed is what a deploy would pass.
  const secretAccess: OriginSecretAccess = { purpose: 'preview', secretsManager: deps.secretsManager };
  const awsContext = await pinnedSecretVersions(stage, secretAccess);
  const deployed = readDeployOutputsIfPresent(outputsFilePath(stage.stage, options.projectDir), stage.stage);
  const cdnVersions = await cdnCredentialVersions(
    stage,
    secretAccess,
    Object.fromEntries(Object.entries(deployed.sites).map(([id, entry]) => [id, entry.aws.outputs])),
  );
  const synth = deps.synth(stage, { projectDir: options.projectDir, awsContext, cdnCredentialVersions: cdnVersions });

  reporter.step('AWS stacks (cdk diff)');
  const awsStacks = stage.sites.flatMap((site) => [
    site.stackNames.origin,
    ...(site.dns.provider === 'route53' ? [site.stackNames.route53] : []),
  ]);
  const aws = await deps.cdk.run(cdkDiffArgs({ stacks: awsStacks, app: 'cdk.out', failOnChange: options.fail }), {
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
  return options.fail && changed ? 1 : 0;
}
