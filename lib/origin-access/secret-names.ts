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

/**
 * The JSON layout of the signed mode's reader-key secret: `{"accessKeyId": "AKIA...", "secretAccessKey": "<40 chars>"}`.
 * The deploy command writes it (never the stack), and reads it back for the CDN's NoEcho parameters. The referer
 * secret's layout is with its mode (`REFERER_SECRET_FIELDS` in referer-secret.ts).
 */
export const READER_KEY_SECRET_FIELDS = { accessKeyId: 'accessKeyId', secretAccessKey: 'secretAccessKey' } as const;
