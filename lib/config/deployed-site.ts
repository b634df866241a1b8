import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3AlicdnError } from '../errors';

/**
 * What publishing needs from the last deploy of a site, read from `deploy-outputs.<stage>.json` (the file the deploy
 * writes; its format is defined with the deploy, in lib/deploy/deploy-outputs-file.ts). Only the few fields read here
 * are checked, so this reader sits below deploy and publish both and neither imports the other.
 */
export interface DeployedSite {
  readonly bucketName: string;
  readonly bucketRegion: string;
  /** The CDN (service) domain of the ROS stack. */
  readonly cdnDomain: string;
}

export function deployOutputsPath(stage: string, projectDir: string): string {
  return path.join(projectDir, `deploy-outputs.${stage}.json`);
}

interface SiteRef {
  readonly stage: string;
  readonly id: string;
  readonly domain: string;
}

const notDeployed = (site: SiteRef, file: string, what: string) =>
  new S3AlicdnError(
    'BAD_FILE',
    `${site.domain}: ${what} in ${file}; the site has no deployed stack to publish to. Run \`npm run deploy -- --stage ${site.stage} --site ${site.id}\` first.`,
  );

export function readDeployedSite(site: SiteRef, projectDir: string): DeployedSite {
  const file = deployOutputsPath(site.stage, projectDir);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notDeployed(site, file, 'no outputs file');
    throw new S3AlicdnError('BAD_FILE', `${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const entry = (raw as { sites?: Record<string, unknown> } | null)?.sites?.[site.id] as
    { aws?: { outputs?: Record<string, unknown> }; ros?: { outputs?: Record<string, unknown> } } | undefined;
  if (!entry) throw notDeployed(site, file, `no entry for site "${site.id}"`);
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const bucketName = text(entry.aws?.outputs?.BucketName);
  const bucketRegion = text(entry.aws?.outputs?.BucketRegion);
  if (!bucketName || !bucketRegion) throw notDeployed(site, file, 'no origin stack outputs (BucketName, BucketRegion)');
  const cdnDomain = text(entry.ros?.outputs?.CdnDomain);
  if (!cdnDomain) throw notDeployed(site, file, 'no CDN stack outputs (CdnDomain)');
  return { bucketName, bucketRegion, cdnDomain };
}
