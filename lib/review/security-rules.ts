/**
 * Which template changes touch a security control. One table per kind of thing (resource types, CDN functions), so
 * adding a control is one line. Reasons are short nouns a reviewer scans for.
 */

import type { EntryChange, ResourceChange, SecurityNote } from './review-model';

interface ResourceRule {
  /** Why the resource as a whole matters (used for additions, removals, and `anyChange` types). */
  readonly reason: string;
  /** Any property change is security-relevant. */
  readonly anyChange: boolean;
  /** Otherwise only these properties are, each with its own reason. */
  readonly properties?: Readonly<Record<string, string>>;
}

export const SECURITY_RESOURCE_RULES: Readonly<Record<string, ResourceRule>> = {
  'AWS::S3::BucketPolicy': { reason: 'bucket policy', anyChange: true },
  'AWS::S3::Bucket': {
    reason: 'origin bucket',
    anyChange: false,
    properties: {
      PublicAccessBlockConfiguration: 'Block Public Access',
      BucketEncryption: 'encryption',
      OwnershipControls: 'object ownership / ACLs',
      AccessControl: 'ACLs',
    },
  },
  'AWS::IAM::User': { reason: 'IAM user', anyChange: true },
  'AWS::IAM::Policy': { reason: 'IAM policy', anyChange: true },
  'AWS::IAM::ManagedPolicy': { reason: 'IAM policy', anyChange: true },
  'AWS::IAM::Role': { reason: 'IAM role', anyChange: true },
  'AWS::IAM::Group': { reason: 'IAM group', anyChange: true },
  'AWS::IAM::UserToGroupAddition': { reason: 'IAM group membership', anyChange: true },
  'AWS::IAM::AccessKey': { reason: 'IAM access key', anyChange: true },
  'AWS::SecretsManager::Secret': { reason: 'secret', anyChange: true },
  'AWS::SecretsManager::ResourcePolicy': { reason: 'secret resource policy', anyChange: true },
  'AWS::SecretsManager::RotationSchedule': { reason: 'secret rotation', anyChange: true },
  'AWS::KMS::Key': { reason: 'KMS key', anyChange: true },
  'ALIYUN::CDN::Domain': {
    reason: 'CDN domain',
    anyChange: false,
    properties: { OriginServers: 'CDN origin', Sources: 'CDN origin', DomainName: 'CDN domain name' },
  },
  // DomainConfig is judged per function (SECURITY_FUNCTIONS); a config holding only cache rules is not flagged.
  'ALIYUN::CAS::Certificate': { reason: 'certificate', anyChange: true },
  'ALIYUN::OOS::Execution': { reason: 'certificate binding (OOS execution)', anyChange: true },
  'ALIYUN::DNS::DomainRecord': { reason: 'DNS record', anyChange: true },
  'ALIYUN::RAM::User': { reason: 'RAM user', anyChange: true },
  'ALIYUN::RAM::Role': { reason: 'RAM role', anyChange: true },
  'ALIYUN::RAM::AccessKey': { reason: 'RAM access key', anyChange: true },
  'ALIYUN::RAM::OIDCProvider': { reason: 'RAM OIDC provider', anyChange: true },
};

/** CDN functions (BatchSetCdnDomainConfig names) that decide who reaches the origin and how viewers connect. */
export const SECURITY_FUNCTIONS: Readonly<Record<string, string>> = {
  set_req_host_header: 'origin Host header',
  origin_host: 'origin Host header',
  https_origin_sni: 'origin SNI',
  origin_sni: 'origin SNI',
  forward_scheme: 'origin protocol',
  ali_origin_port_scheme: 'origin protocol',
  aws_s3_bucket: 'origin authentication (S3 signing)',
  l2_oss_key: 'origin authentication',
  cos_auth: 'origin authentication',
  origin_request_header: 'origin request header',
  set_req_header: 'origin request header',
  origin_certificate_verification: 'origin certificate verification',
  referer_white_list_set: 'viewer Referer allow-list',
  referer_black_list_set: 'viewer Referer deny-list',
  https_force: 'force HTTPS',
  http_force: 'force HTTP',
  HSTS: 'HSTS',
  https_tls_version: 'TLS versions',
  https_option: 'HTTPS options',
  ip_allow_list_set: 'IP allow-list',
  ip_black_list_set: 'IP deny-list',
  aliauth: 'URL signing',
  cdn_remote_auth: 'remote authentication',
};

function listPaths(change: ResourceChange, limit = 3): string {
  const paths = [...new Set(change.properties.map((property) => property.path))];
  const shown = paths.slice(0, limit).join(', ');
  return paths.length > limit ? `${shown} and ${paths.length - limit} more` : shown;
}

function functionNotes(change: ResourceChange): SecurityNote[] {
  return change.functions
    .filter((fn) => SECURITY_FUNCTIONS[fn.functionName] !== undefined)
    .map((fn) => ({
      subject: change.logicalId,
      resourceType: change.resourceType,
      reason: SECURITY_FUNCTIONS[fn.functionName],
      detail:
        fn.kind === 'modified' && fn.args.length > 0
          ? `function ${fn.functionName}: ${fn.args.map((arg) => arg.argName).join(', ')} changed`
          : `function ${fn.functionName} ${fn.kind}`,
    }));
}

export function securityNotesForResource(change: ResourceChange): SecurityNote[] {
  const notes = functionNotes(change);
  const rule = SECURITY_RESOURCE_RULES[change.resourceType];
  if (!rule) return notes;
  const note = (reason: string, detail: string): SecurityNote => ({
    subject: change.logicalId,
    resourceType: change.resourceType,
    reason,
    detail,
  });
  if (change.kind !== 'modified') return [note(rule.reason, `${change.kind}`), ...notes];
  if (rule.anyChange) return [note(rule.reason, `changed: ${listPaths(change)}`), ...notes];
  const byReason = new Map<string, string[]>();
  for (const p of change.properties) {
    const reason = rule.properties?.[p.property];
    if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), p.path]);
  }
  return [...[...byReason].map(([reason, paths]) => note(reason, `changed: ${[...new Set(paths)].join(', ')}`)), ...notes];
}

export function securityNotesForSecretParameters(changes: readonly EntryChange[], noEcho: ReadonlySet<string>): SecurityNote[] {
  return changes
    .filter((change) => noEcho.has(change.name))
    .map((change) => ({ subject: `Parameters.${change.name}`, reason: 'secret parameter (NoEcho)', detail: change.kind }));
}

const SECRET_ATTRIBUTES: ReadonlySet<string> = new Set(['SecretAccessKey', 'AccessKeySecret', 'SecretString']);

/** An output is public to anyone who can describe the stack; flag one that carries a secret. */
export function outputExposesSecret(value: unknown, noEchoParameters: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((candidate) => outputExposesSecret(candidate, noEchoParameters));
  if (typeof value === 'string') return value.includes('{{resolve:secretsmanager') || value.includes('{{resolve:ssm-secure');
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && SECRET_ATTRIBUTES.has(String(getAtt[1]))) return true;
  if (typeof getAtt === 'string' && SECRET_ATTRIBUTES.has(getAtt.split('.')[1] ?? '')) return true;
  if (typeof record.Ref === 'string' && noEchoParameters.has(record.Ref)) return true;
  return Object.values(record).some((candidate) => outputExposesSecret(candidate, noEchoParameters));
}
