import type { SiteConfig } from '../config/resolve-stage';
import { PROJECT_PREFIX } from '../config/naming';

/**
 * Secrets Manager names for a site's secrets. A fixed, project-wide prefix lets the CI deploy role be limited to
 * `secretsmanager:GetSecretValue` on `arn:...:secret:s3alicdn/*`.
 */
export function secretNamesFor(site: Pick<SiteConfig, 'stage' | 'id'>) {
  const base = `${PROJECT_PREFIX}/${site.stage}/${site.id}`;
  return {
    /** JSON `{ "accessKeyId": "...", "secretAccessKey": "..." }`, written by the deploy command, never by the stack. */
    readerKey: `${base}/reader-key`,
    /** JSON `{ "current": "...", "previous": "..." }`, created and rotated by the deploy command. */
    refererSecret: `${base}/referer-secret`,
  };
}
