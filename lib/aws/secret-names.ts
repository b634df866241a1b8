import type { SiteConfig } from '../config/resolve-stage';
import { PROJECT_PREFIX } from '../config/naming';

/**
 * How the origin stack and the deploy command address a site's secrets: their Secrets Manager names, the JSON fields
 * each holds, and the CloudFormation dynamic reference to one field. Both sides import these from here so a field
 * the stack references is the field the deploy command writes.
 */

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
 * Both secrets are JSON objects so CloudFormation dynamic references
 * (`{{resolve:secretsmanager:<arn>:SecretString:<field>}}`) can address each field.
 *
 * Reader key secret (signed mode):  {"accessKeyId": "AKIA...", "secretAccessKey": "<40 chars>"}
 * Referer secret (referer-secret):  {"current": "<secret>", "previous": "<secret>"}
 *   Both fields are always present. Outside a rotation `previous` equals `current`; during one it holds the value
 *   being retired. A bucket policy can therefore always reference both fields: a dynamic reference to a field that
 *   is absent fails the deploy, so "dropping" `previous` means setting it to `current`.
 */
export const READER_KEY_SECRET_FIELDS = { accessKeyId: 'accessKeyId', secretAccessKey: 'secretAccessKey' } as const;
export const REFERER_SECRET_FIELDS = { current: 'current', previous: 'previous' } as const;
export type RefererSecretField = keyof typeof REFERER_SECRET_FIELDS;

/**
 * The CloudFormation dynamic reference for one referer field. Pass `versionId` to pin the version: CloudFormation
 * only re-resolves a reference when the template changes, so pinning is what makes a rotated value reach the
 * bucket policy on the next deploy.
 */
export function refererSecretDynamicReference(secretArn: string, field: RefererSecretField, versionId?: string): string {
  const version = versionId ? `::${versionId}` : '';
  return `{{resolve:secretsmanager:${secretArn}:SecretString:${REFERER_SECRET_FIELDS[field]}${version}}}`;
}
