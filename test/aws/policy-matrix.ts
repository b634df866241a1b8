/**
 * The origin-access matrix: requests against the bucket, and what AWS decides for each in each mode, with the
 * bucket's RestrictPublicBuckets setting as deployed and flipped. policy-evaluation.test.ts checks every cell with a
 * policy simulator against the synthesized templates; docs/origin-access.md shows the same table (rendered by
 * renderMatrix, written there by `npm run docs:matrix` and compared word for word by the test).
 */

/** The document that shows the matrix, relative to the project folder, between policy-matrix:start/end markers. */
export const MATRIX_DOC = 'docs/origin-access.md';

export type Mode = 'signed' | 'referer-secret' | 'referer';
export type Outcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'n/a';

export const SERVICE_DOMAIN = 'test.test.com';
/** Stand-ins for the values CloudFormation resolves from Secrets Manager at deploy time. */
export const TEST_REFERER_SECRET = 'TestRefererSecretValue0123456789abcdefABCDEF0123';
export const TEST_PREVIOUS_REFERER_SECRET = 'PreviousRefererSecretValue0123456789abcdefABCDEF';

export interface MatrixRequest {
  readonly label: string;
  readonly principal: 'anonymous' | 'reader';
  readonly action: 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:ListBucket' | 's3:GetObjectAcl';
  readonly tls: boolean;
  /** A literal Referer, or the value the mode's CDN sends ("mode"), or none. */
  readonly referer?: string | 'mode';
}

/** What the CDN of each mode sends as Referer, used by rows that say referer: 'mode'. */
export const MODE_REFERER: Record<Mode, string | undefined> = {
  signed: undefined,
  'referer-secret': TEST_REFERER_SECRET,
  referer: `https://${SERVICE_DOMAIN}/`,
};

export interface MatrixRow {
  readonly request: MatrixRequest;
  /** Per mode: [as deployed, with RestrictPublicBuckets flipped]. signed deploys it on; the referer modes off. */
  readonly expected: Record<Mode, readonly [Outcome, Outcome]>;
}

const denied = ['ImplicitlyDenied', 'ImplicitlyDenied'] as const;
const tlsDenied = ['ExplicitlyDenied', 'ExplicitlyDenied'] as const;
const notApplicable = ['n/a', 'n/a'] as const;

export const MATRIX: readonly MatrixRow[] = [
  {
    request: { label: 'anonymous GetObject, HTTPS, no Referer', principal: 'anonymous', action: 's3:GetObject', tls: true },
    expected: { signed: denied, 'referer-secret': denied, referer: denied },
  },
  {
    request: {
      label: 'anonymous GetObject, HTTPS, wrong Referer',
      principal: 'anonymous',
      action: 's3:GetObject',
      tls: true,
      referer: 'https://evil.example/',
    },
    expected: { signed: denied, 'referer-secret': denied, referer: denied },
  },
  {
    request: {
      label: 'anonymous GetObject, HTTPS, look-alike domain Referer',
      principal: 'anonymous',
      action: 's3:GetObject',
      tls: true,
      referer: `https://${SERVICE_DOMAIN}.evil.example/x`,
    },
    expected: { signed: denied, 'referer-secret': denied, referer: denied },
  },
  {
    request: {
      label: 'anonymous GetObject, HTTPS, forged service-domain Referer',
      principal: 'anonymous',
      action: 's3:GetObject',
      tls: true,
      referer: `https://${SERVICE_DOMAIN}/page.html`,
    },
    expected: { signed: denied, 'referer-secret': denied, referer: ['Allowed', 'ExplicitlyDenied'] },
  },
  {
    request: {
      label: 'anonymous GetObject, HTTPS, Referer = the secret',
      principal: 'anonymous',
      action: 's3:GetObject',
      tls: true,
      referer: TEST_REFERER_SECRET,
    },
    expected: { signed: denied, 'referer-secret': ['Allowed', 'ExplicitlyDenied'], referer: denied },
  },
  {
    request: {
      label: "anonymous GetObject, HTTPS, the secret's previous value during a rotation",
      principal: 'anonymous',
      action: 's3:GetObject',
      tls: true,
      referer: TEST_PREVIOUS_REFERER_SECRET,
    },
    expected: { signed: denied, 'referer-secret': ['Allowed', 'ExplicitlyDenied'], referer: denied },
  },
  {
    request: {
      label: "anonymous GetObject, plain HTTP, the mode's CDN Referer",
      principal: 'anonymous',
      action: 's3:GetObject',
      tls: false,
      referer: 'mode',
    },
    expected: { signed: tlsDenied, 'referer-secret': tlsDenied, referer: tlsDenied },
  },
  {
    request: {
      label: "anonymous PutObject, HTTPS, the mode's CDN Referer",
      principal: 'anonymous',
      action: 's3:PutObject',
      tls: true,
      referer: 'mode',
    },
    expected: { signed: denied, 'referer-secret': denied, referer: denied },
  },
  {
    request: {
      label: "anonymous DeleteObject, HTTPS, the mode's CDN Referer",
      principal: 'anonymous',
      action: 's3:DeleteObject',
      tls: true,
      referer: 'mode',
    },
    expected: { signed: denied, 'referer-secret': denied, referer: denied },
  },
  {
    request: {
      label: "anonymous ListBucket, HTTPS, the mode's CDN Referer",
      principal: 'anonymous',
      action: 's3:ListBucket',
      tls: true,
      referer: 'mode',
    },
    expected: { signed: denied, 'referer-secret': denied, referer: denied },
  },
  {
    request: {
      label: "anonymous GetObjectAcl, HTTPS, the mode's CDN Referer",
      principal: 'anonymous',
      action: 's3:GetObjectAcl',
      tls: true,
      referer: 'mode',
    },
    expected: { signed: denied, 'referer-secret': denied, referer: denied },
  },
  {
    request: { label: 'plain HTTP PutObject by anyone', principal: 'anonymous', action: 's3:PutObject', tls: false },
    expected: { signed: tlsDenied, 'referer-secret': tlsDenied, referer: tlsDenied },
  },
  {
    request: { label: 'reader GetObject, HTTPS (signed by the CDN)', principal: 'reader', action: 's3:GetObject', tls: true },
    expected: { signed: ['Allowed', 'Allowed'], 'referer-secret': notApplicable, referer: notApplicable },
  },
  {
    request: { label: 'reader GetObject, plain HTTP', principal: 'reader', action: 's3:GetObject', tls: false },
    expected: { signed: tlsDenied, 'referer-secret': notApplicable, referer: notApplicable },
  },
  {
    request: { label: 'reader PutObject, HTTPS', principal: 'reader', action: 's3:PutObject', tls: true },
    expected: { signed: denied, 'referer-secret': notApplicable, referer: notApplicable },
  },
  {
    request: { label: 'reader DeleteObject, HTTPS', principal: 'reader', action: 's3:DeleteObject', tls: true },
    expected: { signed: denied, 'referer-secret': notApplicable, referer: notApplicable },
  },
  {
    request: { label: 'reader ListBucket, HTTPS', principal: 'reader', action: 's3:ListBucket', tls: true },
    expected: { signed: denied, 'referer-secret': notApplicable, referer: notApplicable },
  },
  {
    request: { label: 'reader GetObjectAcl, HTTPS', principal: 'reader', action: 's3:GetObjectAcl', tls: true },
    expected: { signed: denied, 'referer-secret': notApplicable, referer: notApplicable },
  },
];

export const MODES: readonly Mode[] = ['signed', 'referer-secret', 'referer'];
/** RestrictPublicBuckets as each mode deploys it. */
export const DEPLOYED_RESTRICT_PUBLIC_BUCKETS: Record<Mode, boolean> = { signed: true, 'referer-secret': false, referer: false };

const SHORT: Record<Outcome, string> = {
  Allowed: '**allowed**',
  ExplicitlyDenied: 'denied (explicit)',
  ImplicitlyDenied: 'denied',
  'n/a': 'n/a',
};

/** The markdown table shown in MATRIX_DOC. */
export function renderMatrix(): string {
  const header = [
    'Request',
    ...MODES.flatMap((mode) => [`${mode}`, `${mode}, RPB ${DEPLOYED_RESTRICT_PUBLIC_BUCKETS[mode] ? 'off' : 'on'}`]),
  ];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of MATRIX) {
    lines.push(`| ${[row.request.label, ...MODES.flatMap((mode) => row.expected[mode].map((outcome) => SHORT[outcome]))].join(' | ')} |`);
  }
  return lines.join('\n');
}
