import { createHash } from 'node:crypto';
import { ORIGIN_STACK_OUTPUTS as K } from '../aws/stack-interface';
import type { SiteConfig, StageConfig } from '../config/resolve-stage';
import { S3AlicdnError } from '../errors';
import {
  ORIGIN_SECRET_KINDS,
  originAccessFor,
  type OriginAccessMode,
  type OriginOutput,
  type OriginSecret,
  type OriginSecretKind,
  type OriginSecretValues,
} from '../origin-access';
import { refererSecretVersionContextKey } from '../origin-access/referer-secret';
import { CDN_STACK_PARAMETERS } from '../ros/stack-interface';
import { SIGNED_CDN_KEY_LOCATION } from '../origin-access/signed';
import { confirmCdnHoldsReaderKey, reconcileReaderKey, type IamSender } from './aws/reader-key';
import { ensureRefererSecret } from './aws/referer-secret';
import { readReaderKeyPair, readRefererSecret, SecretAccessError, SecretShapeError, type SecretsManagerSender } from './aws/secrets';
import type { Reporter } from './reporter';
import type { CdnFunctionReader } from './ros/cdn-domain-configs';

/*
 * What a site's origin-access mode hands the two apps, built in one place for `deploy` and `diff`: the version of each
 * secret the origin template pins (AWS synth context), and the CDN stack's ROS parameters (the four every site has,
 * then the mode's NoEcho secrets). Both commands call the same two functions, so a diff previews exactly what a deploy
 * would pass. Which secret a site has, and when it must exist, is the mode's to say (`preflight.secret`); this module
 * only knows how to ensure and read each kind of secret.
 */

/**
 * `deploy` creates what is missing (the referer secret before synth, the first reader key after the origin deploy) and
 * reports it. `preview` (diff) changes nothing: a secret that cannot be read yet leaves its parameters out, because
 * the first deploy would create it.
 */
export type OriginSecretAccess =
  | {
      readonly purpose: 'deploy';
      readonly secretsManager: (region: string) => SecretsManagerSender;
      readonly iam: () => IamSender;
      readonly reporter: Reporter;
      /** Reads back what the CDN holds, to decide what a secret needs and to prove the CDN took it. */
      readonly cdn: CdnFunctionReader;
    }
  | { readonly purpose: 'preview'; readonly secretsManager: (region: string) => SecretsManagerSender };

type DeployAccess = Extract<OriginSecretAccess, { purpose: 'deploy' }>;

/** What pinning the before-synth secrets needs: a deploy's access without the CDN reader, or a preview's. */
export type PinAccess = Omit<DeployAccess, 'cdn'> | OriginSecretAccess;

const NO_CDN_BEFORE_SYNTH: CdnFunctionReader = {
  functionArgs: () => {
    throw new S3AlicdnError(
      'DEPLOY_FAILED',
      'A secret pinned before synth asked what the CDN holds; no CDN reader is available at that point.',
    );
  },
};

export interface RosParameters {
  readonly parameters: Record<string, string>;
  /** The keys of `parameters` whose values are secrets and must never be shown. */
  readonly noEcho: string[];
  /** The label of the secret version the parameters carry (see `cdnCredentialVersions`); undefined without a secret. */
  readonly credentialVersion?: string;
}

/**
 * The label of a secret version as the CDN stack's origin-auth DomainConfig is named by it: a digest, so the template
 * shows no version id, in letters and digits as a logical id needs.
 */
export function credentialVersionLabel(versionId: string): string {
  return `V${createHash('sha256').update(versionId).digest('hex').slice(0, 10)}`;
}

/**
 * Per site id, the label of the secret version the CDN would get now, read without changing anything (from the
 * outputs the origin stack had at the last deploy). A site whose secret cannot be read yet has no label; the deploy
 * synthesizes again once it has created the secret's value (`rosParametersFor` returns the label it used).
 */
export async function cdnCredentialVersions(
  stage: StageConfig,
  access: OriginSecretAccess,
  originOutputsBySite: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Promise<Record<string, string>> {
  const labels: Record<string, string> = {};
  for (const site of stage.sites) {
    const mode = originAccessFor(site);
    const secret = mode.preflight.secret;
    if (!secret) continue;
    const context = {
      site,
      mode,
      secret,
      secretsManager: access.secretsManager(site.bucket.region),
      originOutputs: originOutputsBySite[site.id] ?? {},
    };
    try {
      const stored = await readIfPresent(SECRET_HANDLERS[secret.kind], context);
      if (stored) labels[site.id] = credentialVersionLabel(stored.versionId);
    } catch (error) {
      // The reader secret still holds the origin stack's placeholder: the first deploy stores the first key.
      if (!(error instanceof SecretShapeError)) throw error;
    }
  }
  return labels;
}

/**
 * The CDK context for the AWS synth: for every site whose mode pins its secret into the origin template
 * (`ensure: 'before-synth'`), the secret's current version. Pinning is what makes a changed value reach the bucket
 * policy, since CloudFormation re-resolves a dynamic reference only when the template text changes.
 */
export async function pinnedSecretVersions(stage: StageConfig, pinAccess: PinAccess): Promise<Record<string, string>> {
  // Secrets pinned before synth are made and read in Secrets Manager only; what the CDN holds is checked after the
  // CDN stack deploy. So pinning needs no CDN reader (the `npx cdk deploy` path has none), and one asked for says so.
  const access: OriginSecretAccess =
    pinAccess.purpose === 'deploy' && !('cdn' in pinAccess)
      ? { ...pinAccess, cdn: NO_CDN_BEFORE_SYNTH }
      : (pinAccess as OriginSecretAccess);
  const context: Record<string, string> = {};
  for (const site of stage.sites) {
    const mode = originAccessFor(site);
    const secret = mode.preflight.secret;
    if (secret?.ensure !== 'before-synth') continue;
    const handler = SECRET_HANDLERS[secret.kind];
    if (!handler.versionContextKey) {
      throw new S3AlicdnError(
        'DEPLOY_FAILED',
        `${mode.name} mode pins its ${secret.kind} before synth, but the deploy has no context key to pin a ${secret.kind} under.`,
      );
    }
    const secretContext = { site, mode, secret, secretsManager: access.secretsManager(site.bucket.region), originOutputs: {} };
    const stored =
      access.purpose === 'deploy' ? await ensureAndRead(handler, secretContext, access) : await readIfPresent(handler, secretContext);
    if (!stored) continue;
    context[handler.versionContextKey(site.id)] = stored.versionId;
    if (access.purpose === 'deploy')
      access.reporter.info(`${secret.secretName(site)}: version ${stored.versionId} pinned into the origin template`);
  }
  return context;
}

/**
 * The CDN stack's parameters for one site: the four shared ones from the origin stack's outputs (by output key; the
 * configured values stand in for a stack not deployed yet), and the values of the mode's `rosSecretParameters`, which
 * the mode computes from its secret. Every one of the mode's parameters is NoEcho whether or not it could be filled.
 */
export async function rosParametersFor(
  site: SiteConfig,
  originOutputs: Readonly<Record<string, string>>,
  access: OriginSecretAccess,
): Promise<RosParameters> {
  const mode = originAccessFor(site);
  const parameters: Record<string, string> = {
    [CDN_STACK_PARAMETERS.bucketName]: originOutputs[K.bucketName] ?? site.bucket.name,
    [CDN_STACK_PARAMETERS.bucketRegion]: originOutputs[K.bucketRegion] ?? site.bucket.region,
    [CDN_STACK_PARAMETERS.originHost]: originOutputs[K.originHost] ?? site.origin.host,
    [CDN_STACK_PARAMETERS.originPathPrefix]: originOutputs[K.originPathPrefix] ?? site.origin.pathPrefix,
  };
  const noEcho = new Set(mode.rosSecretParameters.map((parameter) => parameter.name));
  const stored = await modeSecretValues(site, mode, originOutputs, access);
  if (stored) {
    const values = mode.rosParameterValues({ originOutputs, secrets: stored.secrets });
    Object.assign(parameters, values.parameters);
    for (const key of values.noEcho) noEcho.add(key);
  }
  return { parameters, noEcho: [...noEcho], credentialVersion: stored?.versionId && credentialVersionLabel(stored.versionId) };
}

/**
 * After the CDN stack deploy: proof, through the CDN API, that the CDN holds what the mode's secret holds (for the
 * reader key: the stored key, Active). A secret kind without a way to read it back from the CDN has nothing to prove.
 */
export async function confirmOriginSecretOnCdn(
  site: SiteConfig,
  originOutputs: Readonly<Record<string, string>>,
  access: DeployAccess,
): Promise<void> {
  const mode = originAccessFor(site);
  const secret = mode.preflight.secret;
  if (!secret) return;
  const handler = SECRET_HANDLERS[secret.kind];
  await handler.confirmOnCdn?.({ site, mode, secret, secretsManager: access.secretsManager(site.bucket.region), originOutputs }, access);
}

/** The reader access key id the domain's CDN signs origin requests with; undefined if it has none (or no domain). */
export async function cdnHeldReaderKeyId(cdn: CdnFunctionReader, domain: string): Promise<string | undefined> {
  const args = await cdn.functionArgs(domain, SIGNED_CDN_KEY_LOCATION.functionName);
  if (!args || args[SIGNED_CDN_KEY_LOCATION.enabledArg] !== SIGNED_CDN_KEY_LOCATION.enabledValue) return undefined;
  return args[SIGNED_CDN_KEY_LOCATION.accessKeyIdArg] || undefined;
}

/** The mode's secret, read (and for a deploy, first ensured if the mode leaves that until after the origin deploy). */
async function modeSecretValues(
  site: SiteConfig,
  mode: OriginAccessMode,
  originOutputs: Readonly<Record<string, string>>,
  access: OriginSecretAccess,
): Promise<{ secrets: OriginSecretValues; versionId?: string } | undefined> {
  const secret = mode.preflight.secret;
  if (!secret) return { secrets: {} };
  const handler = SECRET_HANDLERS[secret.kind];
  const secretContext = { site, mode, secret, secretsManager: access.secretsManager(site.bucket.region), originOutputs };
  let stored: StoredSecret<OriginSecretKind> | undefined;
  if (access.purpose === 'preview') {
    stored = await readIfPresent(handler, secretContext);
  } else if (secret.ensure === 'after-origin-deploy') {
    stored = await ensureAndRead(handler, secretContext, access);
  } else {
    // Ensured before synth (pinnedSecretVersions); read again for the value the CDN must send now.
    stored = await requireRead(handler, secretContext);
  }
  // The value is typed by its kind in the handler table; this object is keyed by that same kind.
  return stored && { secrets: { [secret.kind]: stored.values } as OriginSecretValues, versionId: stored.versionId };
}

interface SecretContext {
  readonly site: SiteConfig;
  readonly mode: OriginAccessMode;
  readonly secret: OriginSecret;
  readonly secretsManager: SecretsManagerSender;
  /** The origin stack's outputs by output key; empty before synth or before the origin stack was first deployed. */
  readonly originOutputs: Readonly<Record<string, string>>;
}

interface StoredSecret<Kind extends OriginSecretKind> {
  readonly values: NonNullable<OriginSecretValues[Kind]>;
  readonly versionId: string;
}

/** How the deploy handles one kind of secret. */
interface SecretHandler<Kind extends OriginSecretKind> {
  /** Makes sure the secret holds a usable value, reporting what it created. */
  ensure(context: SecretContext, access: DeployAccess): Promise<void>;
  /** Reads it; undefined when it cannot be located yet (its id comes from an origin output not written yet). */
  read(context: SecretContext): Promise<StoredSecret<Kind> | undefined>;
  /** After the CDN deploy: proves through the CDN API that the CDN holds the secret's current value. */
  confirmOnCdn?(context: SecretContext, access: DeployAccess): Promise<void>;
  /** For a secret pinned before synth: the CDK context key its version is passed under (the origin stack reads it). */
  readonly versionContextKey?: (siteId: string) => string;
}

/** Every kind a mode may declare; a new kind fails the type check here until the deploy can handle it. */
const SECRET_HANDLERS: { readonly [Kind in OriginSecretKind]: SecretHandler<Kind> } = {
  [ORIGIN_SECRET_KINDS.readerKey]: {
    // The origin stack creates the reader user and its secret; its outputs name both exactly (a full ARN).
    async ensure(context, access) {
      const secretId = requiredOutput(context, 'secret-arn');
      const userName = requiredOutput(context, 'iam-user-name');
      const cdnHeldAccessKeyId = await cdnHeldReaderKeyId(access.cdn, context.site.domain);
      const result = await reconcileReaderKey({
        iam: access.iam(),
        secretsManager: context.secretsManager,
        userName,
        secretId,
        cdnHeldAccessKeyId,
        rotate: false,
      });
      for (const action of result.actions) access.reporter.info(action);
    },
    async confirmOnCdn(context, access) {
      const held = await confirmCdnHoldsReaderKey({
        iam: access.iam(),
        secretsManager: context.secretsManager,
        userName: requiredOutput(context, 'iam-user-name'),
        secretId: requiredOutput(context, 'secret-arn'),
        cdnHeldAccessKeyId: await cdnHeldReaderKeyId(access.cdn, context.site.domain),
      });
      access.reporter.info(`${context.site.domain}: the CDN holds reader key ${held}, active and the secret's current value`);
    },
    async read(context) {
      const secretId = outputOfShape(context, 'secret-arn');
      if (!secretId) return undefined;
      const pair = await readReaderKeyPair({ secretsManager: context.secretsManager, secretId });
      return { values: { accessKeyId: pair.accessKeyId, secretAccessKey: pair.secretAccessKey.reveal() }, versionId: pair.versionId };
    },
  },
  [ORIGIN_SECRET_KINDS.refererSecret]: {
    // By name: the deploy creates this secret (not the stack), so the stack's output is only a partial ARN.
    async ensure({ site, secret, secretsManager }, access) {
      const secretName = secret.secretName(site);
      const ensured = await ensureRefererSecret({
        secretsManager,
        secretName,
        description: `Referer value Alibaba CDN sends to the S3 origin of ${site.domain}.`,
      });
      access.reporter.info(`referer secret ${secretName}: ${ensured.action}`);
    },
    async read({ site, secret, secretsManager }) {
      const stored = await readRefererSecret({ secretsManager, secretId: secret.secretName(site) });
      return { values: { current: stored.current.reveal() }, versionId: stored.versionId };
    },
    versionContextKey: refererSecretVersionContextKey,
  },
};

async function ensureAndRead<Kind extends OriginSecretKind>(
  handler: SecretHandler<Kind>,
  context: SecretContext,
  access: DeployAccess,
): Promise<StoredSecret<Kind>> {
  await handler.ensure(context, access);
  return requireRead(handler, context);
}

async function requireRead<Kind extends OriginSecretKind>(
  handler: SecretHandler<Kind>,
  context: SecretContext,
): Promise<StoredSecret<Kind>> {
  const stored = await handler.read(context);
  if (!stored)
    throw new S3AlicdnError(
      'DEPLOY_FAILED',
      `${context.site.domain}: cannot locate the ${context.secret.kind} secret; the origin stack's outputs do not name it.`,
    );
  return stored;
}

/** A secret that does not exist yet means "not deployed yet": a preview goes on without it. */
async function readIfPresent<Kind extends OriginSecretKind>(
  handler: SecretHandler<Kind>,
  context: SecretContext,
): Promise<StoredSecret<Kind> | undefined> {
  try {
    return await handler.read(context);
  } catch (error) {
    if (error instanceof SecretAccessError) return undefined;
    throw error;
  }
}

/** The value of the mode's output of this shape, if the mode has one and the origin stack wrote it. */
function outputOfShape(context: SecretContext, shape: OriginOutput['shape']): string | undefined {
  const output = context.mode.originOutputs.find((candidate) => candidate.shape === shape);
  return output && context.originOutputs[output.key];
}

function requiredOutput(context: SecretContext, shape: OriginOutput['shape']): string {
  const value = outputOfShape(context, shape);
  if (!value)
    throw new S3AlicdnError(
      'DEPLOY_FAILED',
      `${context.site.domain}: the origin stack has no ${shape} output for its ${context.secret.kind}; deploy the origin stack first.`,
    );
  return value;
}
