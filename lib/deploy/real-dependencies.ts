import * as readline from 'node:readline/promises';
import type Credential from '@alicloud/credentials';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { StageConfig } from '../config/resolve-stage';
import { S3AlicdnError } from '../errors';
import { synthesizeStage } from '../synth/synthesize-stage';
import { checkAccountBlockPublicAccess, checkAwsCredentials, checkCdkBootstrap } from './aws/aws-preflight';
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
import { domainOwnership } from './ros/cdn-domain-ownership';
import { cdnDomainStatusReader } from './ros/cdn-domain-review';
import { createRosClient } from './ros/ros-client';
import { type AlibabaClientOptions } from '../alibaba-api';
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
  return checkAlibabaProtocol({
    rosEndpoint: env.S3ALICDN_ROS_ENDPOINT,
    alidnsEndpoint: env.S3ALICDN_ALIDNS_ENDPOINT,
    casEndpoint: env.S3ALICDN_CAS_ENDPOINT,
    cdnEndpoint: env.S3ALICDN_CDN_ENDPOINT,
    alibabaProtocol: protocol,
  });
}

/** The Alibaba clients a deploy builds; with HTTP, each of them must be pointed at this machine. */
const ALIBABA_ENDPOINTS = ['rosEndpoint', 'alidnsEndpoint', 'casEndpoint'] as const;

/** `localhost` or 127.0.0.0/8, with an optional port: a test double on this machine, never a network hop. */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  const host = endpoint.replace(/:\d{1,5}$/, '').toLowerCase();
  return host === 'localhost' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Plain HTTP only to a loopback endpoint. The ROS SDK sends a stack's Parameters, NoEcho values included, in the
 * query string (reference/alibaba-cdn-operations.md; the Alibaba RPC style puts every parameter there), so over
 * HTTP the reader key and the referer secret would cross the network in clear text. An unset endpoint means the
 * SDK's public one, which HTTP would reach in clear text too.
 */
export function checkAlibabaProtocol(endpoints: EndpointOverrides): EndpointOverrides {
  if (endpoints.alibabaProtocol !== 'HTTP') return endpoints;
  const named = Object.keys(endpoints).filter((key) => key.endsWith('Endpoint')) as (keyof EndpointOverrides)[];
  const remote = [...new Set([...ALIBABA_ENDPOINTS, ...named])].filter(
    (key) => !isLoopbackEndpoint(endpoints[key as keyof EndpointOverrides] as string | undefined),
  );
  if (remote.length > 0) {
    const env = (key: string) => `S3ALICDN_${key.replace(/Endpoint$/, '').toUpperCase()}_ENDPOINT`;
    const described = remote
      .map((key) => `${env(key)}=${(endpoints[key as keyof EndpointOverrides] as string | undefined) ?? '(unset: the public endpoint)'}`)
      .join(', ');
    throw new S3AlicdnError(
      'USAGE',
      `S3ALICDN_ALIBABA_PROTOCOL=HTTP is allowed only when every Alibaba Cloud endpoint is on this machine (localhost or 127.x.x.x), ` +
        `because the ROS API carries NoEcho parameters (secrets) in the query string; not loopback: ${described}. ` +
        'Unset S3ALICDN_ALIBABA_PROTOCOL to use HTTPS.',
    );
  }
  return endpoints;
}

export interface RealDependencyOptions {
  readonly stage: StageConfig;
  readonly projectDir: string;
  readonly reporter: Reporter;
  readonly profile?: string;
  /** Region for the account-wide AWS calls (STS, S3 Control); default: the first site's bucket region. */
  readonly region?: string;
  readonly interactive: boolean;
  /** `--ci`: stdout is kept for the JSON summary, so the cdk CLI's output goes to stderr. */
  readonly machineReadableStdout?: boolean;
  readonly recreateFailedStack?: boolean;
  /** `--timeout`: bound on every ROS wait of the command, from the moment these dependencies are made. */
  readonly overallTimeoutMs?: number;
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
    readonly ssm?: (region: string) => SSMClient;
    readonly cloudFormation?: (region: string) => CloudFormationClient;
    readonly s3?: (region: string) => S3Client;
    readonly alibabaCredential?: Credential;
    readonly cdk?: CdkRunner;
    readonly rosPolling?: Pick<RosDeploymentOptions, 'pollIntervalMs' | 'maxPollIntervalMs' | 'maxWaitMs' | 'clock' | 'retry' | 'random'>;
  };
}

/** The deploy's dependencies wired to the official AWS and Alibaba SDKs and the project's own cdk CLI. */
export function createRealDeployDependencies(options: RealDependencyOptions): DeployDependencies {
  const { stage } = options;
  const endpoints = checkAlibabaProtocol(options.endpoints ?? endpointOverridesFromEnvironment());
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
  const cloudFormations = new Map<string, CloudFormationClient>();
  const ros = new RosDeployment({
    client: createRosClient(alibaba(stage.alibaba.region, endpoints.rosEndpoint)),
    regionId: stage.alibaba.region,
    // The reporter is the one owner of progress output: the engine prints each event and the preview there, once.
    progress: options.reporter,
    recreateFailedStack: options.recreateFailedStack,
    overallTimeoutMs: options.overallTimeoutMs,
    hints: { recreateFailedStack: '--recreate-failed-stack', destroyCommand: `npm run destroy -- --stage ${stage.stage}` },
    ...overrides.rosPolling,
  });

  const cdnClient = createCdnClient(alibaba(stage.alibaba.region, endpoints.cdnEndpoint));
  const cdnRetry = { policy: overrides.rosPolling?.retry, clock: overrides.rosPolling?.clock, random: overrides.rosPolling?.random };
  const ownership = domainOwnership({
    cdn: cdnClient,
    alidns: createAlidnsClient(alibaba(stage.alibaba.region, endpoints.alidnsEndpoint)),
    retry: cdnRetry,
    clock: overrides.rosPolling?.clock,
  });
  const ownershipSite = (site: StageConfig['sites'][number]) => ({ domain: site.domain, alidns: site.dns.provider === 'alidns' });

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
      cdkBootstrap: (accountId, region) =>
        checkCdkBootstrap({ ssm: overrides.ssm ? overrides.ssm(region) : new SSMClient({ region }), accountId, region }),
      dnsZone: (zone, ttlSeconds) =>
        checkAlidnsZone({
          client: createAlidnsClient(alibaba(stage.alibaba.region, endpoints.alidnsEndpoint)),
          zoneName: zone,
          ttlSeconds,
        }),
      certificate: (site) => {
        if (site.certificate.source !== 'cas') return Promise.resolve({ ok: true, message: 'uploaded with the stack' });
        return checkCasCertificate({
          client: createCasClient(alibaba(site.certificate.region, endpoints.casEndpoint)),
          certId: Number(site.certificate.certificateId),
          serviceDomain: site.domain,
        });
      },
      cdnDomainOwnership: (site) => ownership.check(ownershipSite(site)),
    },
    cdnDomain: {
      status: cdnDomainStatusReader(cdnClient, cdnRetry),
      ensureOwnership: (site, report) => ownership.ensure(ownershipSite(site), report),
      clock: overrides.rosPolling?.clock,
    },
    synth: synthesizeStage,
    cdk: overrides.cdk ?? createCdkRunner({ projectDir: options.projectDir, stdout: options.machineReadableStdout ? 'stderr' : 'stdout' }),
    secretsManager: (region) => {
      if (overrides.secretsManager) return overrides.secretsManager(region);
      let client = secretsManagers.get(region);
      if (!client) secretsManagers.set(region, (client = new SecretsManagerClient({ region })));
      return client;
    },
    iam: () => iam,
    cdn: cdnFunctionReader(cdnClient, cdnRetry),
    ros,
    inventory: {
      cloudFormation: (region) => {
        if (overrides.cloudFormation) return overrides.cloudFormation(region);
        let client = cloudFormations.get(region);
        if (!client) cloudFormations.set(region, (client = new CloudFormationClient({ region })));
        return client;
      },
      ros,
    },
    s3: overrides.s3 ?? createS3Client,
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
  // Ctrl-C at the prompt is a refusal: without this, readline only pauses and the question never answers, so the
  // caller could not clean up (the ROS engine deletes its change set and an empty REVIEW_IN_PROGRESS stack).
  const interrupted = new AbortController();
  prompt.on('SIGINT', () => interrupted.abort());
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `, { signal: interrupted.signal })).trim());
  } catch (error) {
    if (interrupted.signal.aborted) throw new S3AlicdnError('NOT_CONFIRMED', `${question} interrupted (Ctrl-C); nothing was executed.`);
    throw error;
  } finally {
    prompt.close();
  }
}
