import {
  type CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStacksCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAwsError } from '../aws/aws-errors';
import { ORIGIN_STACK_OUTPUTS } from '../aws/stack-interface';
import { CONFIG_DIR } from '../config/load-stage';
import { PROJECT_PREFIX } from '../config/naming';
import type { StageConfig } from '../config/resolve-stage';
import { S3AlicdnError } from '../errors';
import { outputsFilePath, readDeployOutputsIfPresent } from './deploy-outputs-file';

/**
 * The stage's stacks in both clouds that no configured site owns any more: a site removed from config/<stage>.json
 * leaves its stacks and its CDN domain live, and deploy and destroy only loop over the configured sites. They are
 * found by the project's stack names (lib/config/naming.ts: `s3alicdn-<stage>-<siteId>-origin|dns|cdn`), reported by
 * deploy and diff, and removed only by `deploy --prune`.
 */
export type CloudFormationSender = Pick<CloudFormationClient, 'send'>;

export type StackKind = 'origin' | 'dns' | 'cdn';

export interface UnownedStack {
  readonly cloud: 'aws' | 'ros';
  readonly stackName: string;
  readonly siteId: string;
  readonly kind: StackKind;
  /** AWS region, or the stage's Alibaba region. */
  readonly region: string;
  readonly status: string;
}

export interface RosStackLister {
  /** Every live stack of the region (all pages). */
  listStacks(): Promise<ReadonlyArray<{ readonly stackName: string; readonly status: string }>>;
}

export interface StackInventorySources {
  readonly cloudFormation: (region: string) => CloudFormationSender;
  readonly ros: RosStackLister;
}

export interface InventoryScope {
  /** Site ids of the whole stage file (not a --site selection): these own their stacks. */
  readonly configuredSiteIds: readonly string[];
  /** AWS regions to look in besides the configured sites' bucket regions (e.g. a removed site's, from the outputs file). */
  readonly extraRegions?: readonly string[];
  /**
   * The other stage names of this project (config/*.json). A stage whose name starts with this one's plus a hyphen
   * (`prod-eu` for `prod`) has stack names that start like this stage's: they are that stage's, not unowned here.
   */
  readonly otherStages?: readonly string[];
}

// CloudFormation API Reference, ListStacks: "If no stack status filter is specified, summary information for all
// stacks is returned (including existing stacks and stacks that have been deleted)" — deleted ones for 90 days, so
// the filter names every status but DELETE_COMPLETE. Results come in pages linked by NextToken.
const LIVE_CFN_STATUSES: StackStatus[] = [
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'CREATE_COMPLETE',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_FAILED',
  'ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS',
  'DELETE_FAILED',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'REVIEW_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_IN_PROGRESS',
  'IMPORT_ROLLBACK_FAILED',
  'IMPORT_ROLLBACK_COMPLETE',
];

const KIND_BY_CLOUD: Readonly<Record<UnownedStack['cloud'], readonly StackKind[]>> = { aws: ['origin', 'dns'], ros: ['cdn'] };

export async function findUnownedStacks(
  stage: StageConfig,
  sources: StackInventorySources,
  scope: InventoryScope,
): Promise<UnownedStack[]> {
  const owned = new Set(scope.configuredSiteIds);
  const regions = [...new Set([...stage.sites.map((site) => site.bucket.region), ...(scope.extraRegions ?? [])])].sort();
  const found: UnownedStack[] = [];
  const consider = (cloud: UnownedStack['cloud'], stackName: string, status: string, region: string) => {
    const parsed = parseStackName(stackName, stage.stage, scope.otherStages ?? []);
    if (!parsed || owned.has(parsed.siteId) || !KIND_BY_CLOUD[cloud].includes(parsed.kind)) return;
    found.push({ cloud, stackName, status, region, ...parsed });
  };
  for (const stack of await sources.ros.listStacks()) {
    if (stack.status !== 'DELETE_COMPLETE') consider('ros', stack.stackName, stack.status, stage.alibaba.region);
  }
  for (const region of regions) {
    const cloudFormation = sources.cloudFormation(region);
    let nextToken: string | undefined;
    do {
      const page = await cloudFormation.send(new ListStacksCommand({ StackStatusFilter: LIVE_CFN_STATUSES, NextToken: nextToken }));
      for (const summary of page.StackSummaries ?? []) {
        if (summary.StackName && summary.StackStatus && summary.StackStatus !== 'DELETE_COMPLETE') {
          consider('aws', summary.StackName, summary.StackStatus, region);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return found.sort((left, right) => left.stackName.localeCompare(right.stackName));
}

/** `s3alicdn-<stage>-<siteId>-<kind>`, unless a longer stage name of this project claims it. */
export function parseStackName(
  stackName: string,
  stage: string,
  otherStages: readonly string[] = [],
): { readonly siteId: string; readonly kind: StackKind } | undefined {
  const prefix = `${PROJECT_PREFIX}-${stage}-`;
  const match = /^(.+)-(origin|dns|cdn)$/.exec(stackName.startsWith(prefix) ? stackName.slice(prefix.length) : '');
  if (!match) return undefined;
  const claimedElsewhere = otherStages.some(
    (other) => other !== stage && other.startsWith(`${stage}-`) && stackName.startsWith(`${PROJECT_PREFIX}-${other}-`),
  );
  return claimedElsewhere ? undefined : { siteId: match[1], kind: match[2] as StackKind };
}

export function describeUnowned(stack: UnownedStack): string {
  const where = stack.cloud === 'ros' ? `Alibaba ROS, ${stack.region}` : `AWS CloudFormation, ${stack.region}`;
  return `${stack.stackName} (${where}, ${stack.status}): site "${stack.siteId}" is no longer in the configuration`;
}

/** The bucket an unowned origin stack names in its outputs, for `--delete-data`. */
export async function originBucketOf(cloudFormation: CloudFormationSender, stackName: string): Promise<string | undefined> {
  try {
    const answer = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return answer.Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'BucketName')?.OutputValue;
  } catch (error) {
    if (isAwsError(error, 'ValidationError')) return undefined;
    throw error;
  }
}

export interface DeleteStackOptions {
  readonly pollIntervalMs?: number;
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Deletes a CloudFormation stack and waits for it to be gone. CloudFormation API Reference, DeleteStack: the call
 * only starts the deletion ("Deleted stacks do not show up in the DescribeStacks operation if the deletion has been
 * completed successfully"), and deleting a stack that does not exist succeeds — so a re-run after an interruption is
 * safe. Retained resources (the origin bucket, DeletionPolicy Retain) stay.
 */
export async function deleteCloudFormationStack(
  cloudFormation: CloudFormationSender,
  stackName: string,
  options: DeleteStackOptions = {},
): Promise<'deleted' | 'not-found'> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const maxWaitMs = options.maxWaitMs ?? 30 * 60_000;
  const status = async () => {
    try {
      const answer = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
      return answer.Stacks?.[0]?.StackStatus;
    } catch (error) {
      if (isAwsError(error, 'ValidationError')) return undefined; // "Stack with id ... does not exist"
      throw error;
    }
  };
  if ((await status()) === undefined) return 'not-found';
  await cloudFormation.send(new DeleteStackCommand({ StackName: stackName }));
  for (let waited = 0; waited <= maxWaitMs; waited += pollIntervalMs) {
    const current = await status();
    if (current === undefined || current === 'DELETE_COMPLETE') return 'deleted';
    if (current === 'DELETE_FAILED') {
      throw new S3AlicdnError(
        'DEPLOY_FAILED',
        `CloudFormation could not delete ${stackName} (DELETE_FAILED); see its events, fix, re-run.`,
      );
    }
    await sleep(pollIntervalMs);
  }
  throw new S3AlicdnError(
    'DEPLOY_FAILED',
    `${stackName} is still being deleted after ${Math.round(maxWaitMs / 60_000)} minutes; re-run to wait again.`,
  );
}

/**
 * Who owns what, for a command run on `stage` (possibly a --site selection of `fullStage`): every site of the stage
 * file owns its stacks; the other stage files of the project claim theirs; the regions of sites deployed before
 * (the outputs file remembers a removed site's bucket region) are searched too.
 */
export function ownershipFor(
  fullStage: StageConfig,
  projectDir: string,
): { configuredSiteIds: string[]; otherStages: string[]; extraRegions: string[] } {
  let otherStages: string[] = [];
  try {
    otherStages = fs
      .readdirSync(path.join(projectDir, CONFIG_DIR))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((name) => name !== fullStage.stage);
  } catch {
    // No config folder: no other stages to tell apart.
  }
  const deployed = readDeployOutputsIfPresent(outputsFilePath(fullStage.stage, projectDir), fullStage.stage);
  const extraRegions = Object.values(deployed.sites).flatMap((site) => {
    const region = site.aws.outputs[ORIGIN_STACK_OUTPUTS.bucketRegion];
    return region ? [region] : [];
  });
  return { configuredSiteIds: fullStage.sites.map((site) => site.id), otherStages, extraRegions };
}
