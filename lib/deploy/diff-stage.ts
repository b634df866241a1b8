import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StageConfig } from '../config/resolve-stage';
import { refererSecretVersionContextKey } from '../origin-access/referer-secret';
import { secretNamesFor } from '../origin-access/secret-names';
import { ORIGIN_STACK_OUTPUTS as K } from '../aws/stack-interface';
import { CDN_STACK_PARAMETERS, CDN_STACK_SECRET_PARAMETERS } from '../ros/stack-interface';
import { cdkDiffArgs } from './aws/cdk-runner';
import { readReaderKeyPair, readRefererSecret, SecretAccessError } from './aws/secrets';
import type { DeployDependencies } from './deploy-stage';
import { outputsFilePath, readDeployOutputsIfPresent } from './deploy-outputs-file';

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
export async function diffStage(stage: StageConfig, deps: Pick<DeployDependencies, 'synth' | 'cdk' | 'ros' | 'secretsManager' | 'reporter'>, options: DiffOptions): Promise<number> {
  const { reporter } = deps;
  const awsContext: Record<string, string> = {};
  for (const site of stage.sites.filter((s) => s.originAccess.mode === 'referer-secret')) {
    const secret = await optionalSecret(() => readRefererSecret({ secretsManager: deps.secretsManager(site.bucket.region), secretId: secretNamesFor(site).refererSecret }));
    if (secret) awsContext[refererSecretVersionContextKey(site.id)] = secret.versionId;
  }
  const synth = deps.synth(stage, { projectDir: options.projectDir, awsContext });

  reporter.step('AWS stacks (cdk diff)');
  const awsStacks = stage.sites.flatMap((site) => [site.stackNames.origin, ...(site.dns.provider === 'route53' ? [site.stackNames.route53] : [])]);
  const aws = await deps.cdk.run(cdkDiffArgs({ stacks: awsStacks, app: 'cdk.out', failOnChange: options.fail }), { profile: options.profile });
  let changed = aws.exitCode !== 0;

  const deployed = readDeployOutputsIfPresent(outputsFilePath(stage.stage, options.projectDir), stage.stage);
  for (const site of stage.sites) {
    reporter.step(`Alibaba ROS stack ${site.stackNames.cdn} (change set preview, not executed)`);
    const template = synth.rosTemplates.find((file) => path.basename(file) === `${site.stackNames.cdn}.template.json`)!;
    const origin = deployed.sites[site.id]?.aws.outputs ?? {};
    const parameters: Record<string, string> = {
      [CDN_STACK_PARAMETERS.bucketName]: origin[K.bucketName] ?? site.bucket.name,
      [CDN_STACK_PARAMETERS.bucketRegion]: origin[K.bucketRegion] ?? site.bucket.region,
      [CDN_STACK_PARAMETERS.originHost]: origin[K.originHost] ?? site.origin.host,
      [CDN_STACK_PARAMETERS.originPathPrefix]: origin[K.originPathPrefix] ?? site.origin.pathPrefix,
    };
    const secretsManager = deps.secretsManager(site.bucket.region);
    const readerSecretArn = origin[K.readerSecretArn];
    if (site.originAccess.mode === 'signed' && readerSecretArn) {
      const pair = await optionalSecret(() => readReaderKeyPair({ secretsManager, secretId: readerSecretArn }));
      if (pair) {
        parameters[CDN_STACK_SECRET_PARAMETERS.readerAccessKeyId] = pair.accessKeyId;
        parameters[CDN_STACK_SECRET_PARAMETERS.readerSecretAccessKey] = pair.secretAccessKey.reveal();
      }
    } else if (site.originAccess.mode === 'referer-secret') {
      const secret = await optionalSecret(() => readRefererSecret({ secretsManager, secretId: secretNamesFor(site).refererSecret }));
      if (secret) parameters[CDN_STACK_SECRET_PARAMETERS.refererSecret] = secret.current.reveal();
    }
    const preview = await deps.ros.preview({
      stackName: site.stackNames.cdn,
      templateBody: fs.readFileSync(template, 'utf8'),
      parameters,
      noEchoParameterKeys: Object.values(CDN_STACK_SECRET_PARAMETERS),
    });
    reporter.info(preview.hasChanges ? preview.preview.text : 'no changes');
    if (preview.destructive) reporter.warn('this change replaces or removes resources (see above)');
    changed ||= preview.hasChanges;
  }
  return options.fail && changed ? 1 : 0;
}

/** A secret that does not exist yet means "not deployed yet": the diff goes on without it. */
async function optionalSecret<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SecretAccessError) return undefined;
    throw error;
  }
}
