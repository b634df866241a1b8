import * as fs from 'node:fs';
import * as path from 'node:path';
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
import { PROJECT_DIR } from '../helpers/stage-fixtures';
import { onlyResourceOfType, resourcesOfType, templatesFor } from '../helpers/synthesized-templates';
import type { TestVariant } from '../helpers/test-variants';
import {
  DEPLOYED_RESTRICT_PUBLIC_BUCKETS,
  MATRIX,
  MATRIX_DOC,
  MODE_REFERER,
  type Mode,
  MODES,
  type Outcome,
  renderMatrix,
  TEST_PREVIOUS_REFERER_SECRET,
  TEST_REFERER_SECRET,
} from './policy-matrix';

// @cloud-copilot/iam-simulate is AGPL-licensed: it is a devDependency used only here, never imported by lib/ or bin/.

const ACCOUNT = '111111111111';
const BUCKET_ARN = 'arn:aws:s3:::ali-cdn-test';
const READER_ARN = `arn:aws:iam::${ACCOUNT}:user/reader`;
const ORIGIN_STACK = 's3alicdn-example-test-test-com-origin';
let previousSecretValue = TEST_PREVIOUS_REFERER_SECRET;

/**
 * Resolves the few intrinsics a synthesized policy uses into what AWS would see after deploy: the bucket ARN, and the
 * Secrets Manager dynamic references replaced by test values.
 */
function resolveForEvaluation(value: any, template: any): any {
  if (Array.isArray(value)) return value.map((item) => resolveForEvaluation(item, template));
  if (value && typeof value === 'object') {
    if ('Fn::GetAtt' in value) {
      const [logicalId, attribute] = value['Fn::GetAtt'];
      if (template.Resources[logicalId]?.Type === 'AWS::S3::Bucket' && attribute === 'Arn') return BUCKET_ARN;
      throw new Error(`unexpected GetAtt ${logicalId}.${attribute}`);
    }
    if ('Ref' in value) throw new Error(`unexpected Ref ${value.Ref}`);
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'];
      const joined = parts.map((part: any) => resolveForEvaluation(part, template)).join(separator);
      return joined;
      return joined;
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveForEvaluation(item, template)]));
  }
  if (typeof value === 'string') {
    return value
      .replace(/^\{\{resolve:secretsmanager:[^}]*:SecretString:current(::[^}]*)?\}\}$/, TEST_REFERER_SECRET)
      .replace(/^\{\{resolve:secretsmanager:[^}]*:SecretString:previous(::[^}]*)?\}\}$/, previousSecretValue);
  }
  return value;
}

interface ModePolicies {
  readonly bucketPolicy: any;
  readonly readerPolicy?: any;
  readonly restrictPublicBuckets: boolean;
}

/**
 * The referer secret as the simulator sees it: mid-rotation by default (previous differs from current), or at rest,
 * where finishRefererRotation has set previous = current.
 */
function policiesFor(mode: Mode, refererSecret: 'rotating' | 'at rest' = 'rotating'): ModePolicies {
  const variant: TestVariant = mode === 'signed' ? 'signed' : mode === 'referer' ? 'referer' : 'refererSecret';
  previousSecretValue = refererSecret === 'rotating' ? TEST_PREVIOUS_REFERER_SECRET : TEST_REFERER_SECRET;
  const template = templatesFor(variant).aws[ORIGIN_STACK];
  const origin = Object.values<any>(resourcesOfType(template, 'AWS::S3::BucketPolicy')).find(
    (policy) => template.Resources[policy.Properties.Bucket.Ref].Properties.BucketName === 'ali-cdn-test',
  );
  const bucket = Object.values<any>(resourcesOfType(template, 'AWS::S3::Bucket')).find(
    (resource) => resource.Properties.BucketName === 'ali-cdn-test',
  );
  const readers = resourcesOfType(template, 'AWS::IAM::Policy');
  return {
    bucketPolicy: resolveForEvaluation(origin.Properties.PolicyDocument, template),
    readerPolicy: Object.keys(readers).length
      ? resolveForEvaluation(onlyResourceOfType(template, 'AWS::IAM::Policy').Properties.PolicyDocument, template)
      : undefined,
    restrictPublicBuckets: bucket.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets,
  };
}

async function evaluate(
  policies: ModePolicies,
  row: (typeof MATRIX)[number],
  mode: Mode,
  restrictPublicBuckets: boolean,
): Promise<Outcome> {
  const { request } = row;
  const referer = request.referer === 'mode' ? MODE_REFERER[mode] : request.referer;
  const isReader = request.principal === 'reader';
  const resource = request.action === 's3:ListBucket' ? BUCKET_ARN : `${BUCKET_ARN}/images/cat.jpg`;
  const result = await runSimulation(
    {
      request: {
        principal: isReader ? READER_ARN : anonymousPrincipal,
        action: request.action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {
          'aws:SecureTransport': String(request.tls),
          'aws:SourceIp': '203.0.113.7',
          ...(referer === undefined ? {} : { 'aws:Referer': referer }),
        },
      },
      identityPolicies: isReader ? [{ name: 'reader', policy: policies.readerPolicy }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policies.bucketPolicy,
      additionalSettings: { s3: { blockPublicAccess: restrictPublicBuckets } },
    } as any,
    {},
  );
  if (result.resultType !== 'single') throw new Error(`simulation error for "${request.label}": ${JSON.stringify(result)}`);
  return result.overallResult as Outcome;
}

describe.each(MODES)('bucket policy of mode %s, evaluated as AWS would', (mode) => {
  const policies = policiesFor(mode);

  test('the deployed RestrictPublicBuckets matches the matrix', () => {
    expect(policies.restrictPublicBuckets).toBe(DEPLOYED_RESTRICT_PUBLIC_BUCKETS[mode]);
  });

  test.each(MATRIX.map((row) => [row.request.label, row] as const))('%s', async (_label, row) => {
    const [asDeployed, flipped] = row.expected[mode];
    if (asDeployed === 'n/a') {
      expect(policies.readerPolicy).toBeUndefined();
      return;
    }
    const actual = [
      await evaluate(policies, row, mode, policies.restrictPublicBuckets),
      await evaluate(policies, row, mode, !policies.restrictPublicBuckets),
    ];
    expect(actual).toEqual([asDeployed, flipped]);
  });
});

describe('acceptance rules that hold in every mode', () => {
  test.each(MODES)(
    '%s: anonymous HTTPS GetObject without Referer, every non-TLS request, every anonymous write or list is denied',
    (mode) => {
      for (const row of MATRIX) {
        const [asDeployed] = row.expected[mode];
        const r = row.request;
        if (r.principal === 'anonymous' && r.action === 's3:GetObject' && r.tls && r.referer === undefined)
          expect(asDeployed).not.toBe('Allowed');
        if (!r.tls && asDeployed !== 'n/a') expect(asDeployed).toBe('ExplicitlyDenied');
        if (r.principal === 'anonymous' && r.action !== 's3:GetObject') expect(asDeployed).not.toBe('Allowed');
      }
    },
  );

  test('signed: the reader may GetObject over HTTPS and nothing else', () => {
    const allowed = MATRIX.filter((row) => row.expected.signed[0] === 'Allowed').map((row) => row.request.label);
    expect(allowed).toEqual(['reader GetObject, HTTPS (signed by the CDN)']);
  });

  test('signed: the bucket policy has no Allow to anyone', () => {
    expect(policiesFor('signed').bucketPolicy.Statement.filter((statement: any) => statement.Effect === 'Allow')).toEqual([]);
  });
});

describe('referer-secret rotation', () => {
  test('mid-rotation both values are accepted; at rest (previous = current) the retired value is refused', async () => {
    const previousRow = MATRIX.find((row) => row.request.referer === TEST_PREVIOUS_REFERER_SECRET)!;
    const currentRow = MATRIX.find((row) => row.request.referer === TEST_REFERER_SECRET)!;
    const rotating = policiesFor('referer-secret', 'rotating');
    expect(await evaluate(rotating, previousRow, 'referer-secret', false)).toBe('Allowed');
    expect(await evaluate(rotating, currentRow, 'referer-secret', false)).toBe('Allowed');
    const atRest = policiesFor('referer-secret', 'at rest');
    expect(await evaluate(atRest, previousRow, 'referer-secret', false)).toBe('ImplicitlyDenied');
    expect(await evaluate(atRest, currentRow, 'referer-secret', false)).toBe('Allowed');
  });
});

test(`${MATRIX_DOC} shows the same matrix (npm run docs:matrix rewrites it)`, () => {
  const doc = fs.readFileSync(path.join(PROJECT_DIR, MATRIX_DOC), 'utf8');
  expect(doc).toContain(renderMatrix());
});
