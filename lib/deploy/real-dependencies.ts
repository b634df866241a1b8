import * as readline from 'node:readline/promises';
import type Credential from '@alicloud/credentials';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import type { StageConfig } from '../config/resolve-stage';
import { S3AlicdnError } from '../errors';
import { synthesizeStage } from '../synth/synthesize-stage';
import { checkAccountBlockPublicAccess, checkAwsCredentials } from './aws/aws-preflight';
import { createCdkRunner, type CdkRunner } from './aws/cdk-runner';
import type { DeployDependencies } from './deploy-stage';
import type { Reporter } from './reporter';
import {
  checkAlidnsZone,
  checkCasCertificate,
  createAlidnsClient,
  createCasClient,
  resolveAlibabaCredentials,
} from './ros/alibaba-preflight';
import { cdnFunctionReader, createCdnClient } from './ros/cdn-domain-configs';
import { createRosClient, type AlibabaClientOptions } from './ros/ros-client';
import { RosDeployment, type RosDeploymentOptions } from './ros/ros-deployment';

/**
 * Endpoint overrides, read from the environment in one place: a VPC endpoint, or a local test double in the
 * end-to-end tests. Unset, the official SDKs pick their public endpoints.
 */
export interface EndpointOverrides {
  readonly rosEndpoint?: string;
  readonly alidnsEndpoint?: string;
  readonly casEndpoint?: string;
  readonly cdnEndpoint?: string;
  readonly alibabaProtocol?: 'HTTPS' | 'HTTP';
}

export function endpointOverridesFromEnvironment(env: NodeJS.ProcessEnv = process.env): EndpointOverrides {
  const protocol = env.S3ALICDN_ALIBABA_PROTOCOL;
  if (protocol !== undefined && protocol !== 'HTTPS' && protocol !== 'HTTP') {
    throw new S3AlicdnError('USAGE', `S3ALICDN_ALIBABA_PROTOCOL: "${protocol}" is not allowed; use HTTPS (default) or HTTP`);
  }
  return {
    rosEndpoint: env.S3ALICDN_ROS_ENDPOINT,
    alidnsEndpoint: env.S3ALICDN_ALIDNS_ENDPOINT,
    casEndpoint: env.S3ALICDN_CAS_ENDPOINT,
    cdnEndpoint: env.S3ALICDN_CDN_ENDPOINT,
    alibabaProtocol: protocol,
  };
}

export interface RealDependencyOptions {
  readonly stage: StageConfig;
  readonly projectDir: string;
  readonly reporter: Reporter;
  readonly profile?: string;
  /** Region for the account-wide AWS calls (STS, S3 Control); default: the first site's bucket region. */
  readonly region?: string;
  readonly interactive: boolean;
  readonly recreateFailedStack?: boolean;
  readonly endpoints?: EndpointOverrides;
  /**
   * Seams for the end-to-end tests: AWS SDK clients that aws-sdk-client-mock intercepts, a fixed Alibaba credential,
   * a fake cdk runner and fast ROS polling. Users never set these; the defaults are the real clients.
   */
  readonly overrides?: {
    readonly sts?: STSClient;
    readonly s3control?: S3ControlClient;
    readonly iam?: IAMClient;
    readonly secretsManager?: (region: string) => SecretsManagerClient;
    readonly alibabaCredential?: Credential;
    readonly cdk?: CdkRunner;
    readonly rosPolling?: Pick<RosDeploymentOptions, 'pollIntervalMs' | 'maxPollIntervalMs' | 'maxWaitMs' | 'clock' | 'retry' | 'random'>;
  };
}

/** The deploy's dependencies wired to the official AWS and Alibaba SDKs and the project's own cdk CLI. */
export function createRealDeployDependencies(options: RealDependencyOptions): DeployDependencies {
  const { stage } = options;
  const endpoints = options.endpoints ?? endpointOverridesFromEnvironment();
  const homeRegion = options.region ?? stage.sites[0].bucket.region;
  const overrides = options.overrides ?? {};
  const alibaba = (regionId: string, endpoint?: string): AlibabaClientOptions => ({
    regionId,
    endpoint,
    protocol: endpoints.alibabaProtocol,
    credential: overrides.alibabaCredential,
  });
  const sts = overrides.sts ?? new STSClient({ region: homeRegion });
  const s3control = overrides.s3control ?? new S3ControlClient({ region: homeRegion });
  const iam = overrides.iam ?? new IAMClient({ region: homeRegion });
  const secretsManagers = new Map<string, SecretsManagerClient>();

  return {
    preflight: {
      awsCredentials: () => checkAwsCredentials({ sts, profile: options.profile ?? process.env.AWS_PROFILE }),
      alibabaCredentials: async () => {
        const verdict = await resolveAlibabaCredentials({ credential: overrides.alibabaCredential });
        return verdict.ok
          ? { ok: true, message: `${verdict.provider} (${verdict.source})` }
          : { ok: false, message: verdict.message, fix: verdict.fix };
      },
      accountBlockPublicAccess: (accountId, mode) => checkAccountBlockPublicAccess({ s3control, accountId, mode }),
      dnsZone: (zone) =>
        checkAlidnsZone({ client: createAlidnsClient(alibaba(stage.alibaba.region, endpoints.alidnsEndpoint)), zoneName: zone }),
      certificate: (site) => {
        if (site.certificate.source !== 'cas') return Promise.resolve({ ok: true, message: 'uploaded with the stack' });
        return checkCasCertificate({
          client: createCasClient(alibaba(site.certificate.region, endpoints.casEndpoint)),
          certId: Number(site.certificate.certificateId),
          serviceDomain: site.domain,
        });
      },
    },
    synth: synthesizeStage,
    cdk: overrides.cdk ?? createCdkRunner({ projectDir: options.projectDir }),
    secretsManager: (region) => {
      if (overrides.secretsManager) return overrides.secretsManager(region);
      let client = secretsManagers.get(region);
      if (!client) secretsManagers.set(region, (client = new SecretsManagerClient({ region })));
      return client;
    },
    iam: () => iam,
    cdn: cdnFunctionReader(createCdnClient(alibaba(stage.alibaba.region, endpoints.cdnEndpoint)), {
      policy: overrides.rosPolling?.retry,
      clock: overrides.rosPolling?.clock,
      random: overrides.rosPolling?.random,
    }),
    ros: new RosDeployment({
      client: createRosClient(alibaba(stage.alibaba.region, endpoints.rosEndpoint)),
      regionId: stage.alibaba.region,
      // The reporter is the one owner of progress output: the engine prints each event and the preview there, once.
      progress: options.reporter,
      recreateFailedStack: options.recreateFailedStack,
      hints: { recreateFailedStack: '--recreate-failed-stack', destroyCommand: `npm run destroy -- --stage ${stage.stage}` },
      ...overrides.rosPolling,
    }),
    confirm: (question) => askYesNo(question, options.interactive),
    reporter: options.reporter,
  };
}

export function createS3Client(region: string): S3Client {
  return new S3Client({ region });
}

/** A y/N question on the terminal. Without a terminal there is nobody to ask: refuse rather than guess. */
async function askYesNo(question: string, interactive: boolean): Promise<boolean> {
  if (!interactive || !process.stdin.isTTY) {
    throw new S3AlicdnError(
      'NOT_CONFIRMED',
      `${question} needs a yes: there is no terminal to ask on. Re-run with --yes to approve non-interactively.`,
    );
  }
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}
