import type { StageConfig } from '../config/resolve-stage';
import { exitCodeOf, S3AlicdnError } from '../errors';
import { stageOutdirs, type SynthOptions, type SynthResult } from '../synth/synthesize-stage';
import { cdkDestroyArgs, type CdkRunner } from './aws/cdk-runner';
import { originAccessFor } from '../origin-access';
import { emptyAndDeleteBucket, type S3BucketSender } from './aws/empty-bucket';
import { acquireStageLockOrReport } from './deploy-lock';
import { runPreflight, type PreflightChecks } from './preflight';
import { deleteAllReaderKeys, type IamSender } from './aws/reader-key';
import { outputsFilePath, readDeployOutputsIfPresent } from './deploy-outputs-file';
import type { Reporter } from './reporter';
import type { RosStackDeployment } from './ros/ros-deployment';

export interface DestroyDependencies {
  readonly preflight: PreflightChecks;
  readonly synth: (stage: StageConfig, options: SynthOptions) => SynthResult;
  readonly cdk: CdkRunner;
  readonly ros: RosStackDeployment;
  readonly s3: (region: string) => S3BucketSender;
  readonly iam: () => IamSender;
  readonly confirm: (question: string) => Promise<boolean>;
  readonly reporter: Reporter;
}

export interface DestroyOptions {
  readonly projectDir: string;
  readonly yes: boolean;
  /** Also empty and delete the origin buckets (every object version). Irreversible. */
  readonly deleteData: boolean;
  readonly profile?: string;
}

/**
 * `destroy`: the ROS CDN stacks first (so no CDN keeps fetching from an origin that is going away), then the access
 * keys the deploy command made for a stack's IAM user (IAM refuses DeleteUser while the user has access keys:
 * DeleteConflict, IAM API reference "DeleteUser"), then the Route 53 and origin stacks (with them the reader user and
 * its secret). The origin bucket is retained by its removal policy, with its data, unless --delete-data. Every step
 * reads what is there first, so a destroy that stopped anywhere (CDN stack gone but AWS stack not, a stack in
 * DELETE_FAILED) is finished by running it again.
 */
export async function destroyStage(stage: StageConfig, deps: DestroyDependencies, options: DestroyOptions): Promise<number> {
  const { reporter } = deps;
  // Before the question: a "yes" to a destroy that then cannot start (or races a deploy) helps nobody.
  const lock = acquireStageLockOrReport(stage.stage, 'destroy', options.projectDir, reporter);
  if (typeof lock === 'number') return lock;
  try {
    const what = stage.sites.map((site) => site.domain).join(', ');
    const data = options.deleteData ? ' AND DELETE EVERY OBJECT in the origin buckets' : ' (origin buckets and their data are kept)';
    // Before the question: a user should not confirm a destroy that cannot run, or that would run in another account.
    reporter.step(`Preflight checks for stage "${stage.stage}" (credentials)`);
    const preflight = await runPreflight(stage, deps.preflight, reporter, 'credentials');
    if (!preflight.ok) {
      reporter.warn('Preflight failed; nothing was destroyed. Fix the lines marked ✗ above and run the destroy again.');
      return exitCodeOf('PREFLIGHT_FAILED');
    }
    if (!options.yes && !(await deps.confirm(`Destroy stage "${stage.stage}" (${what})${data}?`))) {
      reporter.info('Nothing destroyed.');
      return exitCodeOf('NOT_CONFIRMED');
    }
    for (const site of stage.sites) {
      reporter.step(`Deleting Alibaba ROS stack ${site.stackNames.cdn}`);
      const { action } = await deps.ros.destroy({ stackName: site.stackNames.cdn });
      reporter.info(action === 'deleted' ? 'deleted' : 'not found; nothing to delete');
    }
    // The keys are not stack resources (the deploy command makes them), so CloudFormation cannot delete the user
    // while they exist. The user's name is the origin stack's output, kept in the deploy outputs file.
    const deployed = readDeployOutputsIfPresent(outputsFilePath(stage.stage, options.projectDir), stage.stage);
    for (const site of stage.sites) {
      const userOutput = originAccessFor(site).originOutputs.find((output) => output.shape === 'iam-user-name');
      if (!userOutput) continue;
      const userName = deployed.sites[site.id]?.aws.outputs[userOutput.key];
      if (!userName) {
        reporter.warn(
          `${site.domain}: the deploy outputs file names no ${userOutput.key}; if the origin stack has an IAM user with access keys, delete them first (aws iam delete-access-key) or the stack deletion fails.`,
        );
        continue;
      }
      reporter.step(`Deleting the access keys of IAM user ${userName}`);
      const deleted = await deleteAllReaderKeys({ iam: deps.iam(), userName });
      reporter.info(deleted.length ? `deleted ${deleted.join(', ')}` : 'none left');
    }
    const outdirs = stageOutdirs(stage.stage);
    deps.synth(stage, { projectDir: options.projectDir, awsOutdir: outdirs.aws, rosOutdir: outdirs.ros });
    const awsStacks = [
      ...stage.sites.filter((site) => site.dns.provider === 'route53').map((site) => site.stackNames.route53),
      ...stage.sites.map((site) => site.stackNames.origin),
    ];
    reporter.step(`Deleting AWS stacks: ${awsStacks.join(', ')}`);
    const result = await deps.cdk.run(cdkDestroyArgs({ stacks: awsStacks, app: outdirs.aws }), { profile: options.profile });
    if (result.exitCode !== 0) {
      reporter.warn(
        `cdk destroy exited with code ${result.exitCode}. The ROS stacks are deleted; re-run the destroy to finish the AWS side.`,
      );
      return exitCodeOf('DEPLOY_FAILED');
    }
    for (const site of stage.sites) {
      await retireOriginBucket(deps, { name: site.bucket.name, region: site.bucket.region }, options.deleteData);
    }
    reporter.info(
      'Also kept: the server-access-log buckets (they are the audit trail) and any secret the deploy command created (the referer secret). ' +
        'The reader key secret and the reader user were deleted with the origin stack.',
    );
    return 0;
  } finally {
    lock.release();
  }
}

/**
 * After its stacks are gone: the origin bucket (retained by its removal policy) is emptied and deleted with
 * --delete-data, else kept and said so. Shared by `destroy` and `deploy --prune`.
 */
export async function retireOriginBucket(
  deps: Pick<DestroyDependencies, 'reporter'> & { readonly s3?: DestroyDependencies['s3'] },
  bucket: { readonly name: string; readonly region: string },
  deleteData: boolean,
): Promise<void> {
  if (deleteData) {
    if (!deps.s3) throw new S3AlicdnError('USAGE', `--delete-data needs S3 access; bucket ${bucket.name} was kept.`);
    deps.reporter.step(`Emptying and deleting bucket ${bucket.name}`);
    const removed = await emptyAndDeleteBucket(deps.s3(bucket.region), bucket.name);
    deps.reporter.info(removed.existed ? `deleted ${removed.deletedVersions} object versions and the bucket` : 'bucket already gone');
  } else {
    deps.reporter.info(`Kept bucket ${bucket.name} and its data (delete it with --delete-data, or by hand).`);
  }
}
