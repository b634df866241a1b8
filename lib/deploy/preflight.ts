import type { StageConfig } from '../config/resolve-stage';
import { originAccessFor, type OriginAccessModeName } from '../origin-access';
import type { CredentialsCheckResult, PreflightVerdict } from './aws/aws-preflight';
import type { Reporter } from './reporter';

/** The checks a deploy runs before it changes anything; each implementation lives with its cloud's code. */
export interface PreflightChecks {
  awsCredentials(): Promise<CredentialsCheckResult>;
  alibabaCredentials(): Promise<PreflightVerdict>;
  accountBlockPublicAccess(accountId: string, mode: OriginAccessModeName): Promise<PreflightVerdict>;
  /** The zone is hosted in the account, and its DNS edition accepts `ttlSeconds` (the smallest TTL asked of it). */
  dnsZone(zone: string, ttlSeconds?: number): Promise<PreflightVerdict>;
  /** Whether `cdk deploy` can deploy to this account and region (the CDKToolkit stack's version parameter). */
  cdkBootstrap(accountId: string, region: string): Promise<PreflightVerdict>;
  certificate(site: StageConfig['sites'][number]): Promise<PreflightVerdict>;
  /**
   * Alibaba CDN's first-time ownership verification of the site's root domain: passes when the account already owns
   * it or the deploy can prove it (DNS in this account's Alibaba Cloud DNS); fails with the TXT record to create.
   */
  cdnDomainOwnership(site: StageConfig['sites'][number]): Promise<PreflightVerdict>;
}

export interface PreflightFinding {
  readonly check: string;
  readonly ok: boolean;
  readonly message: string;
  readonly fix?: string;
}

export interface PreflightResult {
  readonly ok: boolean;
  readonly accountId?: string;
  readonly findings: readonly PreflightFinding[];
}

/**
 * `deploy` runs every check. `diff` and `destroy` change nothing that the account's settings, DNS zones or
 * certificates could break, but they call both clouds: they run the credential checks (with the stage's account pin,
 * so a destroy never reaches another account's stacks of the same name), printing the very lines a deploy prints.
 */
export type PreflightScope = 'deploy' | 'credentials';

/**
 * Runs every check (not stopping at the first failure, so one run shows everything to fix) and prints one line per
 * check: what is wrong and how to fix it. A check that throws counts as failed, with its message.
 */
export async function runPreflight(
  stage: StageConfig,
  checks: PreflightChecks,
  reporter: Reporter,
  scope: PreflightScope = 'deploy',
): Promise<PreflightResult> {
  const findings: PreflightFinding[] = [];
  const record = async (check: string, run: () => Promise<PreflightVerdict>) => {
    let verdict: PreflightVerdict;
    try {
      verdict = await run();
    } catch (error) {
      verdict = { ok: false, message: (error as Error).message, fix: 'see the message above, then re-run the deploy' };
    }
    findings.push({ ok: verdict.ok, message: verdict.message, ...(verdict.fix ? { fix: verdict.fix } : {}), check });
    if (verdict.ok) reporter.info(`✓ ${check}: ${verdict.message}`);
    else reporter.warn(`✗ ${check}: ${verdict.message}${verdict.fix ? ` Fix: ${verdict.fix}` : ''}`);
    return verdict;
  };

  let accountId: string | undefined;
  await record('AWS credentials', async () => {
    const result = await checks.awsCredentials();
    if (!result.ok) return { ok: false, message: result.message };
    accountId = result.accountId;
    if (stage.aws.account && stage.aws.account !== result.accountId) {
      return {
        ok: false,
        message: `the credentials are for account ${result.accountId}, but stage "${stage.stage}" is pinned to ${stage.aws.account}.`,
        fix: `use credentials (AWS_PROFILE / --profile) for account ${stage.aws.account}, or change aws.account in config/${stage.stage}.json.`,
      };
    }
    return { ok: true, message: `account ${result.accountId} (${result.arn})` };
  });
  const alibaba = await record('Alibaba Cloud credentials', () => checks.alibabaCredentials());
  if (scope === 'credentials') return { ok: findings.every((finding) => finding.ok), accountId, findings };
  const needsAlibaba = async (run: () => Promise<PreflightVerdict>): Promise<PreflightVerdict> =>
    alibaba.ok
      ? run()
      : { ok: false, message: 'skipped: no working Alibaba Cloud credentials.', fix: 'fix the Alibaba Cloud credentials first.' };

  // Only a mode that needs account flags off has anything to check; the others would print a line that says nothing.
  const modes = [...new Set(stage.sites.map((site) => originAccessFor(site)))]
    .filter((mode) => mode.preflight.accountBlockPublicAccessOff.length > 0)
    .map((mode) => mode.name);
  for (const mode of modes) {
    await record(`account Block Public Access (${mode} mode)`, async () =>
      accountId
        ? checks.accountBlockPublicAccess(accountId, mode)
        : { ok: false, message: 'skipped: no working AWS credentials.', fix: 'fix the AWS credentials first.' },
    );
  }
  // Every AWS stack of a site (origin, Route 53) deploys in its bucket's region, so those are the environments.
  for (const region of [...new Set(stage.sites.map((site) => site.bucket.region))]) {
    await record(`CDK bootstrap (${region})`, async () =>
      accountId
        ? checks.cdkBootstrap(accountId, region)
        : { ok: false, message: 'skipped: no working AWS credentials.', fix: 'fix the AWS credentials first.' },
    );
  }
  const alidnsSites = stage.sites.filter((site) => site.dns.provider === 'alidns');
  for (const zone of [...new Set(alidnsSites.map((site) => site.dns.zone))]) {
    const ttlSeconds = Math.min(...alidnsSites.filter((site) => site.dns.zone === zone).map((site) => site.dns.ttlSeconds));
    await record(`Alibaba DNS zone ${zone}`, () => needsAlibaba(() => checks.dnsZone(zone, ttlSeconds)));
  }
  for (const site of stage.sites.filter((candidate) => candidate.certificate.source === 'cas')) {
    await record(`certificate for ${site.domain}`, () => needsAlibaba(() => checks.certificate(site)));
  }
  for (const site of stage.sites) {
    await record(`CDN domain ownership (${site.domain})`, () => needsAlibaba(() => checks.cdnDomainOwnership(site)));
  }
  return { ok: findings.every((finding) => finding.ok), accountId, findings };
}
