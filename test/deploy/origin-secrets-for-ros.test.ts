import { createHash } from 'node:crypto';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { ORIGIN_ACCESS_MODES } from '../../lib/config/schema';
import type { StageConfig } from '../../lib/config/resolve-stage';
import { deployStage, type DeployDependencies } from '../../lib/deploy/deploy-stage';
import { ACCESS_KEY_ID_PATTERN } from '../../lib/deploy/aws/secrets';
import { diffStage } from '../../lib/deploy/diff-stage';
import type { RosStackRequest } from '../../lib/deploy/ros/ros-deployment';
import { originAccessMode, secretNamesFor } from '../../lib/origin-access';
import { CDN_STACK_PARAMETERS } from '../../lib/ros/stack-interface';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { trackUnhandledRejections } from '../helpers/unhandled-rejections';
import { originStackOutputs, useStageWorld, world, worldDependencies } from './stage-world';

/**
 * `deploy` and `diff` build the referer-secret pin and the CDN stack's parameters through one shared function
 * (lib/deploy/origin-secrets-for-ros.ts), so a diff previews what a deploy passes. This checks it end to end, for
 * every mode, against the test doubles. Secret values are compared by digest, so a failure never prints one.
 */
const rejections = trackUnhandledRejections();
afterAll(() => expect(rejections).toEqual([]));
useStageWorld();

interface Recorded {
  readonly awsContexts: Record<string, string>[];
  readonly rosRequests: RosStackRequest[];
}

/** The world's dependencies, recording what each command hands the AWS synth and the ROS engine. */
function recording(stage: StageConfig): { deps: ReturnType<typeof worldDependencies>; recorded: Recorded } {
  const deps = worldDependencies(stage);
  const recorded: Recorded = { awsContexts: [], rosRequests: [] };
  const ros = deps.ros;
  const recordingDeps: typeof deps = {
    ...deps,
    // A ROS-only synth (the deploy's second, once a new credential version is known) hands the AWS synth nothing.
    synth: (synthStage, options) => (
      options.rosOnly || recorded.awsContexts.push({ ...options.awsContext }),
      deps.synth(synthStage, options)
    ),
    ros: {
      deploy: (request) => (recorded.rosRequests.push(request), ros.deploy(request)),
      preview: (request) => (recorded.rosRequests.push(request), ros.preview(request)),
      destroy: (request) => ros.destroy(request),
      outputs: (stackName) => ros.outputs(stackName),
    } satisfies DeployDependencies['ros'],
  };
  return { deps: recordingDeps, recorded };
}

/** What a ROS request carries, with each NoEcho value replaced by its digest. */
function redacted(request: RosStackRequest) {
  const noEcho = [...(request.noEchoParameterKeys ?? [])].sort();
  const parameters = Object.fromEntries(
    Object.entries(request.parameters).map(([key, value]) => [
      key,
      noEcho.includes(key) ? `sha256:${createHash('sha256').update(value).digest('hex')}` : value,
    ]),
  );
  return { parameters, noEcho };
}

describe.each(ORIGIN_ACCESS_MODES)('%s mode: diff passes what deploy passes', (modeName) => {
  test('the same pinned secret versions and the same ROS parameters, NoEcho included', async () => {
    const mode = originAccessMode(modeName);
    const stage = exampleStageWith((site) => (site.originAccess = { mode: modeName }));
    const site = stage.sites[0];
    // The fake cdk writes every mode's outputs; each mode reads only its own.
    world.outputsFileText = (stack) =>
      JSON.stringify({
        [stack]: originStackOutputs({
          RefererSecretArn: `arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:${secretNamesFor(site).refererSecret}`,
        }),
      });
    // An account that never had Block Public Access settings: every mode passes the account preflight.
    mockClient(world.s3control)
      .on(GetPublicAccessBlockCommand)
      .rejects(Object.assign(new Error('none'), { name: 'NoSuchPublicAccessBlockConfiguration', $metadata: { httpStatusCode: 404 } }));

    const deployed = recording(stage);
    const summary = await deployStage(stage, deployed.deps, { projectDir: world.dir, yes: true });
    expect(summary.error).toBeUndefined();
    const diffed = recording(stage);
    // --fail exits 1 on any change: parameters a deploy would pass differently would show as one.
    expect(await diffStage(stage, diffed.deps, { projectDir: world.dir, fail: true })).toBe(0);

    expect(deployed.recorded.awsContexts).toHaveLength(1);
    expect(diffed.recorded.awsContexts).toEqual(deployed.recorded.awsContexts);
    // A new CDN domain: first the domain alone, then (review passed) the whole site. The diff shows the whole site,
    // which is the CdnDomainOnline parameter's default.
    expect(deployed.recorded.rosRequests.map((sent) => sent.parameters[CDN_STACK_PARAMETERS.cdnDomainOnline])).toEqual(['false', 'true']);
    const request = deployed.recorded.rosRequests.at(-1)!;
    const { [CDN_STACK_PARAMETERS.cdnDomainOnline]: _online, ...deployedParameters } = request.parameters;
    expect(diffed.recorded.rosRequests.map(redacted)).toEqual([redacted({ ...request, parameters: deployedParameters })]);

    // What is compared is complete: the four shared parameters and every one of the mode's, each of those NoEcho.
    const modeParameters = mode.rosSecretParameters.map((parameter) => parameter.name);
    const shared = [
      CDN_STACK_PARAMETERS.bucketName,
      CDN_STACK_PARAMETERS.bucketRegion,
      CDN_STACK_PARAMETERS.originHost,
      CDN_STACK_PARAMETERS.originPathPrefix,
    ];
    expect(Object.keys(deployedParameters).sort()).toEqual([...shared, ...modeParameters].sort());
    expect([...(request.noEchoParameterKeys ?? [])].sort()).toEqual([...modeParameters].sort());
    expect(Object.keys(deployed.recorded.awsContexts[0])).toHaveLength(mode.preflight.secret?.ensure === 'before-synth' ? 1 : 0);

    // No secret value reached either command's output. An access key id is NoEcho too but identifies rather than
    // authenticates, and the deploy names the reader key it created by it.
    const secretValues = modeParameters.map((key) => request.parameters[key]).filter((value) => !ACCESS_KEY_ID_PATTERN.test(value));
    expect(secretValues).toHaveLength(mode.preflight.secret ? 1 : 0);
    const output = [...deployed.deps.reporter.lines, ...diffed.deps.reporter.lines].join('\n');
    for (const value of secretValues) expect(output.includes(value)).toBe(false);
  });
});
