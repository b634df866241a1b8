/**
 * Which template changes touch a security control. One table per kind of thing (resource types, CDN functions), so
 * adding a control is one line. Reasons are short nouns a reviewer scans for.
 */

import { CDN_STACK_PARAMETERS } from '../ros/stack-interface';
import { type EntryChange, noteDetail, type ResourceChange, type SecurityNote } from './review-model';

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
  // The same rule as ALIYUN::DNS::DomainRecord: whoever controls the record decides where viewers go. A record whose
  // HostedZoneId or Name changes is a new record (Route 53 replaces it), which the diff reports as a replacement.
  'AWS::Route53::RecordSet': { reason: 'DNS record', anyChange: true },
  'AWS::Route53::RecordSetGroup': { reason: 'DNS record', anyChange: true },
  'AWS::Route53::HostedZone': { reason: 'DNS zone', anyChange: true },
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

/**
 * Parameters whose deployed value decides where the CDN fetches from and which certificate viewers see. The value
 * reaches resources through references, so a change is flagged here even when the resource it feeds is judged by a
 * rule of its own (the origin Host header and SNI functions, the certificate binding).
 */
export const SECURITY_PARAMETERS: Readonly<Record<string, string>> = {
  [CDN_STACK_PARAMETERS.originHost]: 'CDN origin host (fetch host, Host header, SNI)',
  [CDN_STACK_PARAMETERS.originPathPrefix]: 'CDN origin path (origin and service URL prefix)',
  [CDN_STACK_PARAMETERS.bucketName]: 'origin bucket',
  [CDN_STACK_PARAMETERS.bucketRegion]: 'origin bucket region',
  [CDN_STACK_PARAMETERS.casCertificateId]: 'HTTPS certificate',
};

function pathItems(change: ResourceChange, limit = 3): (string | { literal: string })[] {
  return listItems([...new Set(change.properties.map((property) => property.path))], limit);
}

/** `a`, `b`, `c` and 2 more: each item a template literal, the separators our words. */
function listItems(items: readonly string[], limit = 3): (string | { literal: string })[] {
  const parts: (string | { literal: string })[] = [];
  items.slice(0, limit).forEach((item, index) => {
    if (index > 0) parts.push(', ');
    parts.push({ literal: item });
  });
  if (items.length > limit) parts.push(` and ${items.length - limit} more`);
  return parts;
}

function functionNotes(change: ResourceChange): SecurityNote[] {
  return change.functions
    .filter((fn) => SECURITY_FUNCTIONS[fn.functionName] !== undefined)
    .map((fn) => ({
      subject: change.logicalId,
      resourceType: change.resourceType,
      reason: SECURITY_FUNCTIONS[fn.functionName],
      ...(fn.kind === 'modified' && fn.args.length > 0
        ? noteDetail(
            'function ',
            { literal: fn.functionName },
            ': ',
            ...listItems(
              fn.args.map((arg) => arg.argName),
              Number.POSITIVE_INFINITY,
            ),
            ' changed',
          )
        : noteDetail('function ', { literal: fn.functionName }, ` ${fn.kind}`)),
    }));
}

export function securityNotesForResource(change: ResourceChange): SecurityNote[] {
  const notes = functionNotes(change);
  const rule = SECURITY_RESOURCE_RULES[change.resourceType];
  if (!rule) return notes;
  const note = (reason: string, detail: Pick<SecurityNote, 'detail' | 'detailParts'>): SecurityNote => ({
    subject: change.logicalId,
    resourceType: change.resourceType,
    reason,
    ...detail,
  });
  if (change.kind !== 'modified') return [note(rule.reason, noteDetail(change.kind)), ...notes];
  if (rule.anyChange) return [note(rule.reason, noteDetail('changed: ', ...pathItems(change))), ...notes];
  const byReason = new Map<string, string[]>();
  for (const p of change.properties) {
    const reason = rule.properties?.[p.property];
    if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), p.path]);
  }
  return [
    ...[...byReason].map(([reason, paths]) =>
      note(reason, noteDetail('changed: ', ...listItems([...new Set(paths)], Number.POSITIVE_INFINITY))),
    ),
    ...notes,
  ];
}

/** A changed deployed value of a parameter in {@link SECURITY_PARAMETERS}. */
export function securityNotesForParameterValues(changes: readonly EntryChange[]): SecurityNote[] {
  return changes
    .filter((change) => SECURITY_PARAMETERS[change.name] !== undefined)
    .map((change) => ({
      subject: `Parameters.${change.name}`,
      reason: SECURITY_PARAMETERS[change.name],
      ...(change.kind === 'modified'
        ? noteDetail('value ', { literal: change.before ?? '' }, ' → ', { literal: change.after ?? '' })
        : noteDetail(change.kind)),
    }));
}

export function securityNotesForSecretParameters(changes: readonly EntryChange[], noEcho: ReadonlySet<string>): SecurityNote[] {
  return changes
    .filter((change) => noEcho.has(change.name))
    .map((change) => ({ subject: `Parameters.${change.name}`, reason: 'secret parameter (NoEcho)', ...noteDetail(change.kind) }));
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
