import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StageConfig } from '../config/resolve-stage';
import { errorMessage, isS3AlicdnError, S3AlicdnError, type ErrorCode } from '../errors';
import { ROUTE53_STACK_CNAME_PARAMETER } from '../aws/route53-record-stack';
import { CDN_STACK_OUTPUTS, CDN_STACK_PARAMETERS } from '../ros/stack-interface';
import { stageOutdirs, type SynthOptions, type SynthResult } from '../synth/synthesize-stage';
import { cdkDeployArgs, type CdkRunner, type RequireApproval } from './aws/cdk-runner';
import { originOutputRecord, readOriginOutputs } from './aws/origin-outputs';
import type { IamSender } from './aws/reader-key';
import type { SecretsManagerSender } from './aws/secrets';
import { acquireDeployLock, type DeployLock } from './deploy-lock';
import { outputsFilePath, readDeployOutputsIfPresent, writeDeployOutputs, type SiteDeployOutputs } from './deploy-outputs-file';
import {
  cdnCredentialVersions,
  confirmOriginSecretOnCdn,
  pinnedSecretVersions,
  rosParametersFor,
  type OriginSecretAccess,
} from './origin-secrets-for-ros';
import type { S3BucketSender } from './aws/empty-bucket';
import { retireOriginBucket } from './destroy-stage';
import {
  deleteCloudFormationStack,
  describeUnowned,
  findUnownedStacks,
  originBucketOf,
  type StackInventorySources,
  type UnownedStack,
} from './stage-inventory';
import { runPreflight, type PreflightChecks, type PreflightFinding } from './preflight';
import type { Reporter } from './reporter';
import type { CdnFunctionReader } from './ros/cdn-domain-configs';
import {
  AwaitingCdnReviewError,
  CdnDomainUnusableError,
  type CdnDomainStatusReader,
  deadEndMessage,
  describeStatus,
  isConfigurableStatus,
  planCdnDomainPhase,
  waitForCdnDomainOnline,
} from './ros/cdn-domain-review';
import type { Clock } from '../alibaba-api';
import type { RosDeployResult, RosStackDeployment } from './ros/ros-deployment';

/**
 * The CDN domain's own life on Alibaba's side: the first-time ownership verification of its root domain, and the
 * review of a new domain (lib/deploy/ros/cdn-domain-ownership.ts, cdn-domain-review.ts).
 */
export interface CdnDomainLifecycle {
  readonly status: CdnDomainStatusReader;
  /** Proves the account owns the site's root domain when Alibaba has not verified it yet; otherwise does nothing. */
  ensureOwnership(site: StageConfig['sites'][number], report: (line: string) => void): Promise<void>;
  /** @default the system clock */
  readonly clock?: Clock;
}

/** Everything the deploy talks to, injected so tests can use test doubles and users get the real SDK clients. */
export interface DeployDependencies {
  readonly preflight: PreflightChecks;
  readonly synth: (stage: StageConfig, options: SynthOptions) => SynthResult;
  readonly cdk: CdkRunner;
  readonly secretsManager: (region: string) => SecretsManagerSender;
  readonly iam: () => IamSender;
  readonly ros: RosStackDeployment;
  /** Reads back what the CDN has configured (DescribeCdnDomainConfigs), the proof a deploy needs before it reports success. */
  readonly cdn: CdnFunctionReader;
  /** Asks a yes/no question; only called when `yes` is false. */
  readonly confirm: (question: string) => Promise<boolean>;
  readonly reporter: Reporter;
  /** Where the stage's stacks are listed, to find those no configured site owns. Absent: not looked for. */
  readonly inventory?: StackInventorySources;
  /** S3 clients, for `--prune --delete-data`. */
  readonly s3?: (region: string) => S3BucketSender;
  /** Ownership verification and review of new CDN domains. Absent (unit tests with fakes): every domain is online. */
  readonly cdnDomain?: CdnDomainLifecycle;
}

/** Which stacks the stage owns, for the inventory: the whole stage file, not a --site selection. */
export interface OwnershipOptions {
  /** @default the ids of the sites deployed */
  readonly configuredSiteIds?: readonly string[];
  readonly otherStages?: readonly string[];
  /** AWS regions to look in besides the configured sites' (a removed site's region, from the outputs file). */
  readonly extraRegions?: readonly string[];
}

export interface DeployOptions extends OwnershipOptions {
  readonly projectDir: string;
  /** Skip every confirmation (CI, `--yes`). */
  readonly yes: boolean;
  readonly profile?: string;
  /** @default the stage's own folders, `stageOutdirs(stage)` */
  readonly awsOutdir?: string;
  readonly rosOutdir?: string;
  /** The stage lock, when the caller (rotate) already holds it for the whole sequence. */
  readonly heldLock?: DeployLock;
  /** Remove the stacks no configured site owns (ROS first, then AWS), after the configured sites are deployed. */
  readonly prune?: boolean;
  /** With prune: also empty and delete those sites' origin buckets. */
  readonly deleteData?: boolean;
  /**
   * The ROS CDN stacks must end up with this run's parameter values (a rotation): ROS's "no changes" is not trusted
   * for NoEcho values; see `RosDeployRequest.requireParametersApplied`.
   */
  readonly requireRosParametersApplied?: boolean;
  /**
   * How long to wait for Alibaba's review of a new CDN domain (or a domain being configured) before stopping with
   * AWAITING_REVIEW; a re-run after the review finishes the site. @default 600000 (10 minutes)
   */
  readonly reviewWaitMs?: number;
}

export const DEFAULT_REVIEW_WAIT_MS = 600_000;

export type DeployStep =
  | 'lock'
  | 'preflight'
  | 'inventory'
  | 'domain-ownership'
  | 'secrets'
  | 'synth'
  | 'aws-origin'
  | 'origin-outputs'
  | 'ros-cdn'
  | 'cdn-review'
  | 'route53'
  | 'outputs-file'
  | 'prune';

export interface SiteDeploySummary {
  readonly site: string;
  readonly domain: string;
  readonly awsOrigin: 'deployed';
  /** 'waiting': not deployed this run, because the site's CDN domain was not online (Alibaba's review). */
  readonly rosCdn: RosDeployResult['action'] | 'waiting';
  /** 'domain-only': the CDN domain is deployed alone, waiting for Alibaba's review (the run ends AWAITING_REVIEW). */
  readonly cdnPhase?: 'configure' | 'domain-only';
  /** DescribeCdnDomainDetail's status when the site was last looked at. */
  readonly cdnDomainStatus?: string;
  readonly route53?: 'deployed';
  readonly serviceUrl?: string;
  readonly cdnCname?: string;
  /** Present when the service domain's DNS is not managed here: the record the user must create. */
  readonly cnameToCreate?: { readonly name: string; readonly value: string };
}

export interface DeploySummary {
  readonly stage: string;
  readonly ok: boolean;
  readonly failedStep?: DeployStep;
  /** Why it failed; the command's exit status follows from it (`exitCodeOf`). */
  readonly code?: ErrorCode;
  readonly error?: string;
  readonly preflight: readonly PreflightFinding[];
  readonly sites: readonly SiteDeploySummary[];
  readonly outputsFile?: string;
  /** Stacks no configured site owns: kept running and reported, unless pruned. */
  readonly unownedStacks?: readonly UnownedStack[];
  /** With --prune: the stacks removed. */
  readonly pruned?: readonly string[];
}

/** A step failed; the message says what state the deploy left and how to go on. */
export class DeployStepError extends S3AlicdnError {
  constructor(
    readonly step: DeployStep,
    message: string,
    options?: { readonly cause?: unknown; readonly code?: ErrorCode },
  ) {
    super(options?.code ?? 'DEPLOY_FAILED', message, options);
  }
}

const RESUME =
  'Every step is safe to re-run: fix the cause and run the same deploy command again; finished steps are skipped or change nothing.';

/**
 * `deploy`: preflight, origin secrets, synth, the AWS origin stacks (cdk deploy of the synthesized assembly), their
 * outputs into the ROS parameters, the ROS CDN stacks through change sets, the optional Route 53 stacks, and one
 * outputs file. One deploy per stage at a time.
 */
export async function deployStage(stage: StageConfig, deps: DeployDependencies, options: DeployOptions): Promise<DeploySummary> {
  const { reporter } = deps;
  const sites: SiteDeploySummary[] = [];
  let findings: readonly PreflightFinding[] = [];
  let unownedStacks: readonly UnownedStack[] | undefined;
  const pruned: string[] = [];
  /** Sites whose CDN domain is in Alibaba's review: what to say about each once the other sites are done. */
  const awaiting: string[] = [];
  let step: DeployStep = 'lock';
  let lock: DeployLock | undefined;
  try {
    // Inside the try: a stage locked by another run still ends in the summary (JSON with --ci).
    lock = options.heldLock ? undefined : acquireDeployLock(stage.stage, 'deploy', options.projectDir);
    step = 'preflight';
    reporter.step(`Preflight checks for stage "${stage.stage}" (${stage.sites.length} site${stage.sites.length === 1 ? '' : 's'})`);
    const preflight = await runPreflight(stage, deps.preflight, reporter);
    findings = preflight.findings;
    if (!preflight.ok) {
      throw new DeployStepError(
        'preflight',
        'Preflight failed; nothing was deployed. Fix the lines marked ✗ above and run the deploy again.',
        { code: 'PREFLIGHT_FAILED' },
      );
    }

    step = 'inventory';
    const unowned = deps.inventory ? await reportUnownedStacks(stage, deps.inventory, reporter, options) : [];
    unownedStacks = unowned;
    if (options.prune && !deps.inventory) throw new DeployStepError('inventory', '--prune needs the stack inventory; nothing was pruned.');

    if (deps.cdnDomain) {
      step = 'domain-ownership';
      for (const site of stage.sites) {
        await deps.cdnDomain.ensureOwnership(site, (line) => reporter.info(line));
      }
    }

    step = 'secrets';
    const secretAccess: OriginSecretAccess = {
      purpose: 'deploy',
      secretsManager: deps.secretsManager,
      iam: deps.iam,
      reporter,
      cdn: deps.cdn,
    };
    const awsContext = await pinnedSecretVersions(stage, secretAccess);

    const existing = readDeployOutputsIfPresent(outputsFilePath(stage.stage, options.projectDir), stage.stage);
    const credentialVersions = await cdnCredentialVersions(
      stage,
      { purpose: 'preview', secretsManager: deps.secretsManager },
      Object.fromEntries(Object.entries(existing.sites).map(([id, entry]) => [id, entry.aws.outputs])),
    );

    step = 'synth';
    reporter.step('Synthesizing both apps');
    const awsOutdir = options.awsOutdir ?? stageOutdirs(stage.stage).aws;
    const rosOutdir = options.rosOutdir ?? stageOutdirs(stage.stage).ros;
    const synthOptions = { projectDir: options.projectDir, awsOutdir, rosOutdir, awsContext };
    let synthResult = deps.synth(stage, { ...synthOptions, cdnCredentialVersions: credentialVersions });
    reporter.info(`${synthResult.awsTemplates.length + synthResult.rosTemplates.length} templates written`);

    step = 'aws-origin';
    const originStacks = stage.sites.map((site) => site.stackNames.origin);
    reporter.step(`Deploying AWS origin stack${originStacks.length === 1 ? '' : 's'}: ${originStacks.join(', ')}`);
    const originOutputsFile = path.join(options.projectDir, awsOutdir, 'origin-outputs.json');
    await runCdkDeploy(
      deps,
      options,
      cdkDeployArgs({
        stacks: originStacks,
        outputsFile: originOutputsFile,
        requireApproval: approvalFor(options),
        app: awsOutdir,
      }),
      'aws-origin',
      `The AWS origin stacks may be partly updated (CloudFormation rolls a failed stack back). Check it with \`npx cdk diff --app ${awsOutdir}\`. ${RESUME}`,
    );

    // Every site's origin outputs and ROS parameters first (this ensures the secrets the origin deploy made possible).
    const prepared = new Map<string, { originOutputs: Record<string, string>; parameters: Record<string, string>; noEcho: string[] }>();
    let resynth = false;
    for (const site of stage.sites) {
      step = 'origin-outputs';
      const origin = (await readOriginOutputs({ file: originOutputsFile, stacks: [site.stackNames.origin], mode: site.originAccess.mode }))[
        site.stackNames.origin
      ];
      // The same record the outputs file keeps, which is what `diff` later builds its parameters from.
      const originOutputs = originOutputRecord(origin);
      const { parameters, noEcho, credentialVersion } = await rosParametersFor(site, originOutputs, secretAccess);
      prepared.set(site.id, { originOutputs, parameters, noEcho });
      if (credentialVersion && credentialVersion !== credentialVersions[site.id]) {
        credentialVersions[site.id] = credentialVersion;
        resynth = true;
      }
    }
    if (resynth) {
      // A secret got a new value after the synth (the first key, or a dead key replaced): the origin-auth DomainConfig
      // is named by it, so the CDN templates are synthesized again, once (the AWS side is already deployed).
      step = 'synth';
      synthResult = deps.synth(stage, { ...synthOptions, cdnCredentialVersions: credentialVersions, rosOnly: true });
    }

    for (const site of stage.sites) {
      const { originOutputs, parameters, noEcho } = prepared.get(site.id)!;
      step = 'ros-cdn';
      reporter.step(`Deploying Alibaba ROS stack ${site.stackNames.cdn} (${site.domain})`);
      const templateFile = synthResult.rosTemplates.find((file) => path.basename(file) === `${site.stackNames.cdn}.template.json`);
      if (!templateFile)
        throw new DeployStepError('ros-cdn', `No synthesized ROS template for ${site.stackNames.cdn}; run \`npm run synth\` to see why.`);
      const templateBody = fs.readFileSync(templateFile, 'utf8');
      const deployCdnStack = async (phase: 'configure' | 'domain-only') => {
        const deployed = await deps.ros.deploy({
          stackName: site.stackNames.cdn,
          templateBody,
          parameters: { ...parameters, [CDN_STACK_PARAMETERS.cdnDomainOnline]: phase === 'configure' ? 'true' : 'false' },
          noEchoParameterKeys: noEcho,
          tags: site.tags,
          requireParametersApplied: options.requireRosParametersApplied,
          // The engine has already shown the preview (on the reporter it was built with); this only answers.
          confirm: async () => options.yes || deps.confirm(`Execute these changes to ${site.stackNames.cdn}?`),
        });
        reporter.info(deployed.action === 'no-changes' ? 'no changes; skipped' : `ROS stack ${deployed.action}`);
        if (deployed.action === 'cancelled') {
          throw new DeployStepError(
            'ros-cdn',
            `Not executed: you declined the changes to ${site.stackNames.cdn}. The AWS origin stack is deployed; nothing changed on Alibaba Cloud.`,
            { code: 'NOT_CONFIRMED' },
          );
        }
        return deployed;
      };

      let ros: RosDeployResult;
      let cdnPhase: 'configure' | 'domain-only' = 'configure';
      let cdnDomainStatus: string | undefined;
      if (!deps.cdnDomain) {
        ros = await deployCdnStack('configure');
      } else {
        const lifecycle = deps.cdnDomain;
        const reviewWaitMs = options.reviewWaitMs ?? DEFAULT_REVIEW_WAIT_MS;
        const report = (line: string) => reporter.info(line);
        step = 'cdn-review';
        const plan = await planCdnDomainPhase({
          reader: lifecycle.status,
          domain: site.domain,
          stackConfigured: async () => {
            const current = await deps.ros.outputs(site.stackNames.cdn);
            return current !== undefined && current.parameters[CDN_STACK_PARAMETERS.cdnDomainOnline] !== 'false';
          },
          waitMs: reviewWaitMs,
          clock: lifecycle.clock,
          report,
        }).catch((error: unknown) => {
          if (error instanceof AwaitingCdnReviewError) return error;
          throw reviewStepError(error);
        });
        if (plan instanceof AwaitingCdnReviewError) {
          // Nothing changed for this site; the stage's other sites still deploy.
          awaiting.push(plan.message);
          sites.push({
            site: site.id,
            domain: site.domain,
            awsOrigin: 'deployed',
            rosCdn: 'waiting',
            cdnPhase: 'configure',
            cdnDomainStatus: plan.status,
          });
          continue;
        }
        step = 'ros-cdn';
        ros = await deployCdnStack(plan.phase);
        cdnDomainStatus = plan.status;
        if (plan.phase === 'domain-only') {
          step = 'cdn-review';
          const status = await waitForCdnDomainOnline({
            reader: lifecycle.status,
            domain: site.domain,
            waitMs: reviewWaitMs,
            clock: lifecycle.clock,
            report,
          });
          cdnDomainStatus = status;
          if (!isConfigurableStatus(status)) {
            // What exists is recorded, so `diff`, `verify` and a re-run see the domain-only stack.
            recordSiteOutputs(existing, site, originOutputs, ros, stage.alibaba.region, options.projectDir, stage.stage);
            sites.push({
              site: site.id,
              domain: site.domain,
              awsOrigin: 'deployed',
              rosCdn: ros.action,
              cdnPhase: 'domain-only',
              cdnDomainStatus: status,
            });
            const deadEnd = deadEndMessage(site.domain, status);
            if (deadEnd) throw new DeployStepError('cdn-review', deadEnd);
            // A site in review does not hold up the stage's other sites: they deploy, and the run ends waiting.
            awaiting.push(
              `${status === 'checking' ? "Waiting for Alibaba's review of" : 'Waiting for Alibaba to bring online'} ${site.domain}: ${describeStatus(status)}. State left: the AWS origin stack is deployed, and the ROS stack ${site.stackNames.cdn} holds the CDN domain alone (no configuration, certificate or DNS record yet, so nothing serves from it). ` +
                `When the CDN console shows the domain online, run the same deploy again: it configures the domain and finishes the site. (Waited ${Math.round(reviewWaitMs / 1000)} s; --review-wait sets how long.)`,
            );
            continue;
          }
          step = 'ros-cdn';
          reporter.info(`CDN domain ${site.domain} is ${status}: configuring it`);
          const domainOnly = ros;
          ros = await deployCdnStack('configure');
          // One site, one verdict: a stack this run created is "created", though it took two change sets.
          if (domainOnly.action === 'created') ros = { ...ros, action: 'created' };
        }
        cdnPhase = 'configure';
      }

      // Whatever ROS said ("no changes" included), the CDN itself must hold the secret's current value.
      await confirmOriginSecretOnCdn(site, originOutputs, secretAccess);

      let route53: 'deployed' | undefined;
      const cname = ros.outputs[CDN_STACK_OUTPUTS.cname];
      if (site.dns.provider === 'route53') {
        step = 'route53';
        if (!cname)
          throw new DeployStepError(
            'route53',
            `The ROS stack ${site.stackNames.cdn} has no ${CDN_STACK_OUTPUTS.cname} output; cannot create the Route 53 record.`,
          );
        reporter.step(`Deploying Route 53 record stack ${site.stackNames.route53}`);
        await runCdkDeploy(
          deps,
          options,
          cdkDeployArgs({
            stacks: [site.stackNames.route53],
            outputsFile: path.join(options.projectDir, awsOutdir, 'route53-outputs.json'),
            requireApproval: approvalFor(options),
            app: awsOutdir,
            parameters: [{ stack: site.stackNames.route53, name: ROUTE53_STACK_CNAME_PARAMETER, value: cname }],
          }),
          'route53',
          `Both CDN stacks are deployed; only the Route 53 record is missing. ${RESUME}`,
        );
        route53 = 'deployed';
      }

      step = 'outputs-file';
      recordSiteOutputs(existing, site, originOutputs, ros, stage.alibaba.region, options.projectDir, stage.stage, {
        ...(route53 ? { route53: { stackName: site.stackNames.route53 } } : {}),
        ...(cname ? { dns: { provider: site.dns.provider, name: site.domain, cnameTarget: cname } } : {}),
      });
      sites.push({
        site: site.id,
        domain: site.domain,
        awsOrigin: 'deployed',
        rosCdn: ros.action,
        ...(deps.cdnDomain ? { cdnPhase, cdnDomainStatus } : {}),
        ...(route53 ? { route53 } : {}),
        serviceUrl: ros.outputs[CDN_STACK_OUTPUTS.serviceUrl],
        cdnCname: cname,
        ...(site.dns.provider === 'none' && cname ? { cnameToCreate: { name: site.domain, value: cname } } : {}),
      });
    }

    if (awaiting.length > 0) {
      step = 'cdn-review';
      const others = stage.sites.length - awaiting.length;
      throw new DeployStepError(
        'cdn-review',
        [
          ...awaiting,
          ...(others > 0 ? [`The stage's other ${others} site(s) are deployed.`] : []),
          ...(options.prune ? ['Nothing was pruned.'] : []),
        ].join('\n'),
        { code: 'AWAITING_REVIEW' },
      );
    }

    if (options.prune && unownedStacks && unownedStacks.length > 0) {
      step = 'prune';
      await pruneUnownedStacks(deps, unownedStacks, Boolean(options.deleteData), pruned);
    }

    const outputsFile = outputsFilePath(stage.stage, options.projectDir);
    const summary: DeploySummary = {
      stage: stage.stage,
      ok: true,
      preflight: findings,
      sites,
      outputsFile,
      ...(unownedStacks ? { unownedStacks } : {}),
      ...(options.prune ? { pruned } : {}),
    };
    reporter.summary(summary, renderSuccess(summary, options.projectDir));
    return summary;
  } catch (error) {
    // A cause that already knows what kind of failure it is (a declined prompt, a bad file) keeps its code.
    const stepError =
      error instanceof DeployStepError
        ? error
        : new DeployStepError(step, `${errorMessage(error)}\n${stepHint(step)}`, {
            cause: error,
            code: isS3AlicdnError(error) ? error.code : undefined,
          });
    const summary: DeploySummary = {
      stage: stage.stage,
      ok: false,
      failedStep: stepError.step,
      code: stepError.code,
      error: stepError.message,
      preflight: findings,
      sites,
      ...(unownedStacks ? { unownedStacks } : {}),
      ...(options.prune ? { pruned } : {}),
    };
    reporter.summary(
      summary,
      stepError.code === 'AWAITING_REVIEW'
        ? `… Deploy of stage "${stage.stage}" not finished: waiting for Alibaba (exit status 3, nothing failed):\n${stepError.message}`
        : `✗ Deploy failed at step "${stepError.step}":\n${stepError.message}`,
    );
    return summary;
  } finally {
    lock?.release();
  }
}

/** Finds and reports (as warnings) the stage's stacks that no configured site owns. Shared by deploy and diff. */
export async function reportUnownedStacks(
  stage: StageConfig,
  inventory: StackInventorySources,
  reporter: Reporter,
  options: OwnershipOptions,
): Promise<UnownedStack[]> {
  reporter.step('Looking for stacks of this stage that no configured site owns');
  const unowned = await findUnownedStacks(stage, inventory, {
    configuredSiteIds: options.configuredSiteIds ?? stage.sites.map((site) => site.id),
    otherStages: options.otherStages,
    extraRegions: options.extraRegions,
  });
  if (unowned.length === 0) reporter.info('none');
  for (const stack of unowned) reporter.warn(describeUnowned(stack));
  if (unowned.length > 0) {
    reporter.info('They keep running (a CDN domain keeps serving) until removed: `deploy --prune` (data kept unless --delete-data).');
  }
  return unowned;
}

/**
 * `--prune`: the unowned stacks, ROS first (no CDN keeps fetching from an origin that goes away), then AWS (the
 * Route 53 stack before the origin stack). Buckets are retained by their stacks, and deleted only with --delete-data,
 * as `destroy` does. Each step is safe to re-run: a stack already gone is skipped.
 */
async function pruneUnownedStacks(deps: DeployDependencies, unowned: readonly UnownedStack[], deleteData: boolean, pruned: string[]) {
  const { reporter, inventory } = deps;
  for (const stack of unowned.filter((candidate) => candidate.cloud === 'ros')) {
    reporter.step(`Pruning Alibaba ROS stack ${stack.stackName}`);
    const { action } = await deps.ros.destroy({ stackName: stack.stackName });
    reporter.info(action === 'deleted' ? 'deleted' : 'not found; nothing to delete');
    pruned.push(stack.stackName);
  }
  const aws = unowned.filter((candidate) => candidate.cloud === 'aws');
  for (const stack of [...aws.filter((candidate) => candidate.kind === 'dns'), ...aws.filter((candidate) => candidate.kind === 'origin')]) {
    const cloudFormation = inventory!.cloudFormation(stack.region);
    const bucket = stack.kind === 'origin' ? await originBucketOf(cloudFormation, stack.stackName) : undefined;
    reporter.step(`Pruning AWS stack ${stack.stackName} (${stack.region})`);
    reporter.info(await deleteCloudFormationStack(cloudFormation, stack.stackName));
    pruned.push(stack.stackName);
    if (bucket) await retireOriginBucket({ s3: deps.s3, reporter }, { name: bucket, region: stack.region }, deleteData);
  }
}

/** Writes one site's entry of the outputs file (the rest of the file kept), from what this run deployed. */
function recordSiteOutputs(
  existing: ReturnType<typeof readDeployOutputsIfPresent>,
  site: StageConfig['sites'][number],
  originOutputs: Record<string, string>,
  ros: RosDeployResult,
  regionId: string,
  projectDir: string,
  stageName: string,
  extra: Pick<SiteDeployOutputs, 'route53' | 'dns'> = {},
): void {
  const entry: SiteDeployOutputs = {
    domain: site.domain,
    aws: { stackName: site.stackNames.origin, outputs: originOutputs },
    ros: ros.stackId
      ? { stackName: site.stackNames.cdn, stackId: ros.stackId, regionId, outputs: { ...ros.outputs } }
      : existing.sites[site.id]?.ros,
    ...extra,
  };
  existing.sites[site.id] = entry;
  writeDeployOutputs(outputsFilePath(stageName, projectDir), { ...existing, updatedAt: new Date().toISOString() });
}

/** A review problem found before anything changed on Alibaba Cloud, as the deploy's step error. */
function reviewStepError(error: unknown): unknown {
  if (error instanceof AwaitingCdnReviewError)
    return new DeployStepError('cdn-review', error.message, { code: 'AWAITING_REVIEW', cause: error });
  if (error instanceof CdnDomainUnusableError) return new DeployStepError('cdn-review', error.message, { cause: error });
  return error;
}

function approvalFor(options: DeployOptions): RequireApproval {
  // Interactive: cdk shows the AWS changes and asks before any of them. --yes / --ci: no prompt.
  return options.yes ? 'never' : 'any-change';
}

async function runCdkDeploy(
  deps: DeployDependencies,
  options: DeployOptions,
  args: string[],
  step: DeployStep,
  state: string,
): Promise<void> {
  const result = await deps.cdk.run(args, { profile: options.profile });
  if (result.exitCode !== 0) throw new DeployStepError(step, `cdk ${args[0]} exited with code ${result.exitCode}. ${state}`);
}

function stepHint(step: DeployStep): string {
  switch (step) {
    case 'lock':
      return 'Nothing was done.';
    case 'secrets':
      return `No stack was changed yet. ${RESUME}`;
    case 'synth':
      return 'Nothing was deployed. Run `npm run synth` to see the full report.';
    case 'origin-outputs':
      return `The AWS origin stack is deployed; the CDN stack was not touched. ${RESUME}`;
    case 'domain-ownership':
      return `Nothing was deployed yet. ${RESUME}`;
    case 'cdn-review':
      return `The AWS origin stack is deployed; see above for the CDN domain's state. ${RESUME}`;
    case 'ros-cdn':
      return `The AWS origin stack is deployed; see above for the state of the ROS stack. ${RESUME}`;
    default:
      return RESUME;
  }
}

function renderSuccess(summary: DeploySummary, projectDir: string): string {
  const lines = [
    `✓ Deployed stage "${summary.stage}". Outputs: ${path.relative(projectDir, summary.outputsFile ?? '') || summary.outputsFile}`,
  ];
  for (const site of summary.sites) {
    lines.push(`  ${site.domain}: ${site.serviceUrl ?? '(no service URL yet)'} (CDN ${site.rosCdn})`);
    if (site.cnameToCreate) lines.push(`    create DNS record: ${site.cnameToCreate.name} CNAME ${site.cnameToCreate.value}`);
  }
  return lines.join('\n');
}
