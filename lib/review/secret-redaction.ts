import { secretHeaderNames } from '../origin-access';

/**
 * Keeps secrets out of the review. A PR comment is public to everyone who can read the pull request, so a value is
 * printed only when nothing about its name, its position or its shape suggests it is a secret.
 */

export const REDACTED = '[redacted]';

/** Key names (property, nested key or CDN function arg) whose literal value is a secret. Compared normalized. */
const SENSITIVE_NAMES: ReadonlySet<string> = new Set([
  'password',
  'passphrase',
  'privatekey',
  'secretstring',
  'secretaccesskey',
  'secretkey',
  'accesskey',
  'accesskeysecret',
  'clientsecret',
  'sessiontoken',
  'securitytoken',
  'apikey',
  'sslpri',
  // CDN function args that carry credentials (aws_s3_bucket, l2_oss_key, cos_auth, aliauth).
  'permprivateosstbl',
  'cossecretid',
  'cossecretkey',
  'authkey1',
  'authkey2',
]);

/** Properties whose value is secret only on one resource type (e.g. `Key` is a tag key elsewhere). */
const SENSITIVE_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'ALIYUN::CAS::Certificate': ['Key'],
  'AWS::IAM::User': ['LoginProfile'],
  'ALIYUN::RAM::User': ['LoginProfile'],
};

/** Request headers whose value authenticates: the origin-access modes' (Referer in referer-secret), and the usual ones. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  ...secretHeaderNames(),
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
]);

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAMES.has(normalizeName(name));
}

/** True when any key on the path to a value marks it as secret. `path` starts at the top-level property. */
export function isSensitivePath(resourceType: string, path: readonly string[]): boolean {
  if (path.length > 0 && (SENSITIVE_PROPERTIES[resourceType] ?? []).includes(path[0])) return true;
  return path.some(isSensitiveName);
}

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const AWS_ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/;
const ALIBABA_ACCESS_KEY_ID = /(?<![A-Za-z0-9])LTAI[A-Za-z0-9]{12,30}(?![A-Za-z0-9])/;
// CDK logical ids end in an 8-hex-digit hash; sha1/sha256 hex digests are asset hashes and commit ids.
const CDK_LOGICAL_ID = /^[A-Za-z][A-Za-z0-9]*[0-9A-F]{8}$/;
const HEX_DIGEST = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const MIN_TOKEN_LENGTH = 20;
const RANDOM_TRANSITION_RATIO = 0.25;

type CharClass = 'u' | 'l' | 'd' | undefined;
function charClass(char: string): CharClass {
  if (char >= 'A' && char <= 'Z') return 'u';
  if (char >= 'a' && char <= 'z') return 'l';
  if (char >= '0' && char <= '9') return 'd';
  return undefined;
}

/**
 * Random strings switch between lower case, upper case and digits about every other character; identifiers made of
 * words (CamelCase stack names, ARNs) only at word starts. Upper-to-lower is ignored because every capitalised word
 * has one.
 */
function transitionRatio(token: string): number {
  let pairs = 0;
  let transitions = 0;
  for (let i = 1; i < token.length; i++) {
    const a = charClass(token[i - 1]);
    const b = charClass(token[i]);
    if (!a || !b) continue;
    pairs++;
    if (a !== b && !(a === 'u' && b === 'l')) transitions++;
  }
  return pairs === 0 ? 0 : transitions / pairs;
}

function isRandomLookingToken(token: string): boolean {
  if (token.length < MIN_TOKEN_LENGTH) return false;
  if (CDK_LOGICAL_ID.test(token) || HEX_DIGEST.test(token)) return false;
  return transitionRatio(token) >= RANDOM_TRANSITION_RATIO;
}

/** The shape of an AWS secret access key: 40 base64 characters mixing cases and digits. */
function isAwsSecretKeyShape(token: string): boolean {
  return /^[A-Za-z0-9+/]{40}$/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token) && /[0-9]/.test(token);
}

/**
 * Shape-based detection: key formats, private keys, and long random-looking tokens. A heuristic: measured on
 * random base64 tokens it misses about 3.5% of 20-character, 1% of 32-character and none of 40-character ones,
 * which is why names (secretkey, Password...) and NoEcho parameters are checked first and independently.
 */
export function looksLikeSecret(text: string): boolean {
  if (PRIVATE_KEY.test(text) || AWS_ACCESS_KEY_ID.test(text) || ALIBABA_ACCESS_KEY_ID.test(text)) return true;
  return text.split(/[^A-Za-z0-9+/=_-]+/).some((token) => isAwsSecretKeyShape(token) || isRandomLookingToken(token));
}

const REFERENCE_KEYS: ReadonlySet<string> = new Set(['Ref', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::GetAZs']);

/** `{Ref: X}` and friends name another template entity; they never hold the secret itself. */
function isReference(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && REFERENCE_KEYS.has(keys[0]);
}

function isPlainUrl(text: string): boolean {
  return /^https?:\/\/[^\s]+$/.test(text) && !looksLikeSecret(text.replace(/^https?:\/\//, ''));
}

export interface RenderOptions {
  /** The value sits under a secret name: every literal is hidden. */
  readonly sensitive?: boolean;
  /** With `sensitive`, still show plain URLs (the guide's Referer value is the public site URL). */
  readonly allowUrls?: boolean;
}

/** Turns template values into printable strings with every secret replaced by {@link REDACTED}. */
export class Redactor {
  private readonly knownSecrets: readonly string[];

  /** @param knownSecrets literal values known to be secret, e.g. NoEcho parameter defaults. */
  constructor(knownSecrets: Iterable<string> = []) {
    // Very short values would blank out unrelated text; a real secret is never that short.
    this.knownSecrets = [...knownSecrets].filter((knownSecret) => knownSecret.length >= 4);
  }

  /** Collects NoEcho parameter defaults from any number of templates. */
  static forTemplates(...templates: (Record<string, unknown> | undefined)[]): Redactor {
    const secrets: string[] = [];
    for (const template of templates) {
      for (const parameter of Object.values(parametersOf(template))) {
        if (isNoEcho(parameter) && parameter.Default !== undefined) secrets.push(String(parameter.Default));
      }
    }
    return new Redactor(secrets);
  }

  /** Printable form: strings as they are, everything else as compact JSON. */
  render(value: unknown, options: RenderOptions = {}): string {
    const scrubbed = this.scrub(value, options.sensitive === true, options.allowUrls === true);
    return typeof scrubbed === 'string' ? scrubbed : JSON.stringify(scrubbed);
  }

  private scrub(value: unknown, sensitive: boolean, allowUrls: boolean): unknown {
    if (isReference(value)) return value;
    if (Array.isArray(value)) return value.map((item) => this.scrub(item, sensitive, allowUrls));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.scrub(v, sensitive || isSensitiveName(k), allowUrls);
      return out;
    }
    if (typeof value === 'string') {
      if (sensitive && value === '') return value;
      if (sensitive) return allowUrls && isPlainUrl(value) && !this.containsKnownSecret(value) ? value : REDACTED;
      return looksLikeSecret(value) || this.containsKnownSecret(value) ? REDACTED : value;
    }
    if (sensitive && (typeof value === 'number' || typeof value === 'boolean')) return REDACTED;
    return value;
  }

  private containsKnownSecret(text: string): boolean {
    return this.knownSecrets.some((secret) => text.includes(secret));
  }
}

export interface TemplateParameter {
  readonly NoEcho?: unknown;
  readonly Default?: unknown;
  readonly [key: string]: unknown;
}

export function parametersOf(template: Record<string, unknown> | undefined): Record<string, TemplateParameter> {
  const parameters = template?.Parameters;
  return parameters && typeof parameters === 'object' ? (parameters as Record<string, TemplateParameter>) : {};
}

/** ROS and CloudFormation both accept `true` and `"true"`. */
export function isNoEcho(parameter: TemplateParameter | undefined): boolean {
  return parameter?.NoEcho === true || parameter?.NoEcho === 'true';
}
