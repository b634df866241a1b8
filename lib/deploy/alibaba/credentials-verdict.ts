import Credential from '@alicloud/credentials';
import { readFileSync } from 'fs';

export type AlibabaCredentialVerdict =
  | {
    readonly ok: true;
    /** Provider in `@alicloud/credentials`' chain that answered: env, oidc_role_arn, cli_profile, profile, ecs_ram_role, ... */
    readonly provider: string;
    /** Where that provider read from, for a human. */
    readonly source: string;
    /** First and last characters of the AccessKey ID (never the secret), to tell accounts apart. */
    readonly accessKeyIdHint: string;
  }
  | { readonly ok: false; readonly message: string; readonly fix: string };

const SOURCES: Record<string, string> = {
  env: 'environment variables ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  oidc_role_arn: 'OIDC role ALIBABA_CLOUD_ROLE_ARN with the token in ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  cli_profile: 'Alibaba Cloud CLI profile (~/.aliyun/config.json)',
  profile: 'credentials file (ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials)',
  ecs_ram_role: 'ECS instance RAM role (instance metadata)',
  credential_uri: 'ALIBABA_CLOUD_CREDENTIALS_URI',
  ram_role_arn: 'RAM role assumed with another credential (ram_role_arn)',
  static_ak: 'static AccessKey passed in',
  static_sts: 'static STS token passed in',
};

const FIX_ANY = 'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or (CI with OIDC) ALIBABA_CLOUD_ROLE_ARN, ' +
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE, or configure a profile with `aliyun configure`.';
const OIDC_VARS = ['ALIBABA_CLOUD_ROLE_ARN', 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE'] as const;

/**
 * Which Alibaba Cloud credentials a deploy would use, as a verdict for the deploy preflight: the provider and a
 * hint of the key id, or a one-line reason with the fix. Reads the same default chain the SDK clients use.
 * Nothing secret is returned, and the chain's own error texts are not passed on (some quote config file content).
 */
export async function resolveAlibabaCredentials(opts: { credential?: Credential; timeoutMs?: number } = {}): Promise<AlibabaCredentialVerdict> {
  if (!opts.credential) {
    const misconfigured = checkEnvironment(process.env);
    if (misconfigured) return misconfigured;
  }
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const credential = opts.credential ?? new Credential();
    const model = await Promise.race([
      credential.getCredential(),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new TimeoutError()), timeoutMs); }),
    ]);
    const provider = (model.providerName ?? model.type ?? 'unknown').split('/').filter((p) => p !== 'default')[0] ?? 'unknown';
    if (model.type !== 'bearer' && (!model.accessKeyId || !model.accessKeySecret)) {
      return { ok: false, message: `Alibaba Cloud credentials from ${SOURCES[provider] ?? provider} have no AccessKey ID or secret`, fix: FIX_ANY };
    }
    return { ok: true, provider, source: SOURCES[provider] ?? provider, accessKeyIdHint: hint(model.accessKeyId ?? '') };
  } catch (err) {
    if (err instanceof TimeoutError) {
      return {
        ok: false,
        message: `resolving Alibaba Cloud credentials took longer than ${Math.round(timeoutMs / 1000)}s (the chain may be waiting for the ECS metadata service)`,
        fix: `${FIX_ANY} Outside ECS, set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true.`,
      };
    }
    if (!opts.credential && OIDC_VARS.every((v) => process.env[v])) {
      return {
        ok: false,
        message: `assuming RAM role ${process.env.ALIBABA_CLOUD_ROLE_ARN} with the OIDC token failed`,
        fix: 'Check that the role trusts the OIDC provider ALIBABA_CLOUD_OIDC_PROVIDER_ARN names (and the token audience), and that the STS endpoint is reachable.',
      };
    }
    return {
      ok: false,
      message: opts.credential
        ? 'the Alibaba Cloud credential provider passed in gave no credentials'
        : 'no Alibaba Cloud credentials found (tried environment variables, OIDC role, CLI profile, credentials file, ECS RAM role, credentials URI)',
      fix: FIX_ANY,
    };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

class TimeoutError extends Error {}

/** Half-set variables make the chain skip a source silently; say which one instead. */
function checkEnvironment(env: NodeJS.ProcessEnv): AlibabaCredentialVerdict | undefined {
  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (id && !secret) {
    return { ok: false, message: 'ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not', fix: 'Set ALIBABA_CLOUD_ACCESS_KEY_SECRET too, or unset ALIBABA_CLOUD_ACCESS_KEY_ID to use another source.' };
  }
  if (!id && secret) {
    return { ok: false, message: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not', fix: 'Set ALIBABA_CLOUD_ACCESS_KEY_ID too, or unset ALIBABA_CLOUD_ACCESS_KEY_SECRET.' };
  }
  if (id) return undefined;
  const setOidc = OIDC_VARS.filter((v) => env[v]);
  if (setOidc.length > 0 && setOidc.length < OIDC_VARS.length) {
    const missing = OIDC_VARS.filter((v) => !env[v]);
    return { ok: false, message: `OIDC credentials are half configured: ${setOidc.join(', ')} set, ${missing.join(', ')} missing`, fix: `Set ${missing.join(' and ')} (all three are needed for the OIDC role), or unset the others.` };
  }
  if (setOidc.length === OIDC_VARS.length) {
    const file = env.ALIBABA_CLOUD_OIDC_TOKEN_FILE!;
    let token = '';
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch {
      return { ok: false, message: `ALIBABA_CLOUD_OIDC_TOKEN_FILE '${file}' cannot be read`, fix: 'Point ALIBABA_CLOUD_OIDC_TOKEN_FILE at the OIDC token your CI writes (e.g. the GitHub Actions id-token), and write it before the deploy step.' };
    }
    if (token === '') {
      return { ok: false, message: `ALIBABA_CLOUD_OIDC_TOKEN_FILE '${file}' is empty`, fix: 'Write the OIDC token to that file before the deploy step.' };
    }
  }
  return undefined;
}

function hint(accessKeyId: string): string {
  return accessKeyId.length <= 8 ? '****' : `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-4)}`;
}
