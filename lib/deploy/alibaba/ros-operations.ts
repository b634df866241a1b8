import type { RosDeployRequest, RosDeployResult, RosPreviewResult, RosStackOperations } from '../ros-stack-operations';
import type { RosClient } from './ros-client';
import { deployRosStack, destroyRosStack, getRosStackOutputs, previewRosStackChanges, type RosStackEventView } from './ros-stack-deployer';
import type { RecoveryHints } from './ros-deploy-error';
import type { RosOperationOptions } from './ros-session';

export interface RosOperationsOptions {
  readonly client: RosClient;
  readonly regionId: string;
  readonly recreateFailedStack?: boolean;
  readonly pollIntervalMs?: number;
  readonly maxWaitMs?: number;
  readonly hints?: RecoveryHints;
  /** Test seams: virtual clock, retry policy and jitter. */
  readonly tuning?: Pick<RosOperationOptions, 'clock' | 'retry' | 'random' | 'maxPollIntervalMs'>;
}

/** The stage commands' view of ROS, backed by the official SDK through the deployer in this folder. */
export function createRosOperations(options: RosOperationsOptions): RosStackOperations {
  const common = {
    client: options.client,
    regionId: options.regionId,
    pollIntervalMs: options.pollIntervalMs,
    maxWaitMs: options.maxWaitMs,
    hints: options.hints,
    ...options.tuning,
  };
  return {
    async deploy(request: RosDeployRequest): Promise<RosDeployResult> {
      const progress = eventProgress(request.templateBody, request.onEvent);
      const result = await deployRosStack({
        ...common,
        stackName: request.stackName,
        templateBody: request.templateBody,
        parameters: request.parameters,
        noEchoParameterKeys: request.noEchoParameterKeys,
        tags: request.tags,
        recreateFailedStack: options.recreateFailedStack,
        confirm: (preview) => request.confirm(preview.text),
        onEvent: progress,
        log: request.log,
      });
      return { action: result.action, stackId: result.stackId, outputs: result.outputs, apiCalls: result.apiCalls };
    },
    async preview(request): Promise<RosPreviewResult> {
      const result = await previewRosStackChanges({
        ...common,
        stackName: request.stackName,
        templateBody: request.templateBody,
        parameters: request.parameters,
        noEchoParameterKeys: request.noEchoParameterKeys,
        log: request.log,
      });
      const { changes } = result.preview;
      return {
        text: result.preview.text,
        hasChanges: changes.length > 0 || result.preview.templateOnly,
        destructive: changes.some((change) => change.action === 'Remove' || change.replacement === 'True' || change.replacement === 'Conditional'),
      };
    },
    async destroy(request) {
      const result = await destroyRosStack({ ...common, stackName: request.stackName, onEvent: eventProgress('{}', request.onEvent), log: request.log });
      return { deleted: result.action === 'deleted' };
    },
    async outputs(stackName) {
      return (await getRosStackOutputs({ ...common, stackName }))?.outputs;
    },
  };
}

/** cdk-style progress lines: `[done/total] time STATUS LogicalId (Type) reason`. */
function eventProgress(templateBody: string, print: (line: string) => void): (event: RosStackEventView) => void {
  let total = 0;
  try {
    total = Object.keys((JSON.parse(templateBody) as { Resources?: object }).Resources ?? {}).length;
  } catch {
    total = 0;
  }
  const finished = new Set<string>();
  return (event) => {
    if (!event.isStack && /_COMPLETE$/.test(event.status)) finished.add(event.logicalId);
    const counter = total > 0 ? `[${Math.min(finished.size, total)}/${total}] ` : '';
    const reason = event.statusReason ? ` ${event.statusReason}` : '';
    print(`${counter}${event.time} ${event.status.padEnd(20)} ${event.logicalId} (${event.resourceType})${reason}`);
  };
}
