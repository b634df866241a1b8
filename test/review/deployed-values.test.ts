/**
 * The review diffs what a deploy applies, not only the template text. Most values that decide the origin and the
 * certificate reach the CDN stack as parameter defaults (computed from the configuration at synth; the deploy passes
 * the same values), so these tests start from stages synthesized through the real synth path (global-setup.ts) with
 * one configuration change between base and head.
 */

import * as path from 'node:path';
import { diffStackSets } from '../../lib/review/diff-output-sets';
import { loadOutputSet, type SynthesizedStack } from '../../lib/review/output-set';
import { renderReviewMarkdown } from '../../lib/review/review-markdown';
import { destructiveChanges, isDestructive, type ReviewReport, type StackReview } from '../../lib/review/review-model';
import { rosPropertyImpact } from '../../lib/review/ros-editability';
import { diffStack } from '../../lib/review/stack-diff';
import { rosParametersFor } from '../../lib/deploy/origin-secrets-for-ros';
import { knownParameterValues } from '../../lib/review/parameter-values';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { SYNTH_CACHE_ENV, TEST_VARIANTS, type TestVariant } from '../helpers/test-variants';
import { AWS_STACK, baseTemplate, resourceOf } from './fixture-templates';

const context = { stage: 'example', baseRef: 'origin/main', baseCommit: 'a'.repeat(40), headCommit: 'b'.repeat(40), maxLength: 0 };

function variant(name: TestVariant): SynthesizedStack[] {
  return loadOutputSet(path.join(process.env[SYNTH_CACHE_ENV]!, name));
}

function stackOf(report: ReviewReport, suffix: string): StackReview {
  const stack = report.stacks.find((candidate) => candidate.stackName.endsWith(suffix));
  if (!stack) throw new Error(`no stack *${suffix} in ${report.stacks.map((candidate) => candidate.stackName).join(', ')}`);
  return stack;
}

function logicalIdOfType(stack: SynthesizedStack, type: string): string {
  const [id] = Object.entries(stack.template.Resources as Record<string, { Type: string }>).find(([, resource]) => resource.Type === type)!;
  return id;
}

/** The markdown with every code span removed: what GitHub would render as markup. */
function outsideCodeSpans(markdown: string): string {
  return markdown.replace(/(`+)[\s\S]*?\1/g, '');
}

test.each(['referer', 'refererPathStyle'] as const)(
  'the parameter values the review assumes are the ones the deploy passes (%s)',
  async (name) => {
    const stacks = variant(name);
    const origin = stacks.find((stack) => stack.stackName.endsWith('-origin'))!;
    const cdn = stacks.find((stack) => stack.stackName.endsWith('-cdn'))!;
    // What `cdk deploy --outputs-file` gives the deploy: literal values, and a bucket Ref as the bucket's name.
    const resources = origin.template.Resources as Record<string, { Properties?: { BucketName?: string } }>;
    const outputs = Object.fromEntries(
      Object.entries(origin.template.Outputs as Record<string, { Value: unknown }>).flatMap(([key, output]) => {
        if (typeof output.Value === 'string') return [[key, output.Value]];
        const ref = (output.Value as { Ref?: string }).Ref;
        const bucketName = ref === undefined ? undefined : resources[ref]?.Properties?.BucketName;
        return bucketName === undefined ? [] : [[key, bucketName]];
      }),
    );
    const site = exampleStageWith(TEST_VARIANTS[name]).sites[0];
    const noSecrets = () => {
      throw new Error('this mode reads no secret');
    };

    const { parameters } = await rosParametersFor(site, outputs, { purpose: 'preview', secretsManager: noSecrets });

    const known = knownParameterValues(cdn.template);
    for (const [key, value] of Object.entries(parameters)) if (known.has(key)) expect([key, known.get(key)]).toEqual([key, value]);
    // A parameter the deploy does not pass (CasCertificateId) gets its default: ROS UpdateStack/CreateChangeSet with
    // UsePreviousParameters unset (false) use "the default value from the template".
    expect(Object.keys(parameters)).toEqual(expect.arrayContaining(['OriginHost', 'OriginPathPrefix', 'BucketName', 'BucketRegion']));
  },
);

describe('origin values that reach the CDN stack as parameters', () => {
  // originUrlStyle virtual-hosted → path: new origin host, Host header, SNI and service URL prefix.
  const report = diffStackSets(variant('referer'), variant('refererPathStyle'));
  const cdn = stackOf(report, '-cdn');

  test('an origin host change is security-relevant, with its old and new value', () => {
    expect(cdn.parameterValues).toEqual([
      {
        name: 'OriginHost',
        kind: 'modified',
        before: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com',
        after: 's3.ap-northeast-2.amazonaws.com',
      },
      { name: 'OriginPathPrefix', kind: 'modified', before: '/', after: '/ali-cdn-test/' },
    ]);
    expect(cdn.security).toContainEqual(
      expect.objectContaining({
        subject: 'Parameters.OriginHost',
        reason: 'CDN origin host (fetch host, Host header, SNI)',
        detail: 'value ali-cdn-test.s3.ap-northeast-2.amazonaws.com → s3.ap-northeast-2.amazonaws.com',
      }),
    );
    // The CDN domain's origin property is judged like any property: the editability table decides replacement.
    const domain = cdn.resources.find((resource) => resource.resourceType === 'ALIYUN::CDN::Domain')!;
    const originProperty = domain.properties[0].property;
    expect(domain.properties[0]).toMatchObject({
      before: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com',
      after: 's3.ap-northeast-2.amazonaws.com',
    });
    expect(domain.impact).toBe(rosPropertyImpact('ALIYUN::CDN::Domain', originProperty));
    expect(cdn.security).toContainEqual(expect.objectContaining({ subject: domain.logicalId, reason: 'CDN origin' }));
    const destructive = destructiveChanges(report).map((change) => change.resource.logicalId);
    if (isDestructive(domain.impact)) expect(destructive).toContain(domain.logicalId);
    else expect(destructive).not.toContain(domain.logicalId);
  });

  test('the Host header and SNI follow the configuration, flagged and listed as the replacement they force', () => {
    const reasons = cdn.security.map((note) => `${note.reason}: ${note.detail}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'origin Host header: function set_req_host_header: domain_name changed',
        'origin SNI: function https_origin_sni: https_origin_sni changed',
      ]),
    );
    const markdown = renderReviewMarkdown(report, context);
    expect(markdown).not.toContain('### Security-relevant changes\n\nNone.');
    expect(markdown).toMatch(
      /› `OriginConfig` \(`ALIYUN::CDN::DomainConfig`\): \*\*replace\*\*, caused by FunctionList \(`set_req_host_header`, `https_origin_sni`\)/,
    );
    expect(markdown).toContain('    - `domain_name`: `ali-cdn-test.s3.ap-northeast-2.amazonaws.com` → `s3.ap-northeast-2.amazonaws.com`');
    expect(markdown).toContain(
      'Parameter values the deploy passes:\n\n- ~ `OriginHost`: `ali-cdn-test.s3.ap-northeast-2.amazonaws.com` → `s3.ap-northeast-2.amazonaws.com`',
    );
    // The default is shown once, as the value; the declaration itself did not change.
    expect(cdn.parameters).toEqual([]);
  });

  test('the service URL output is compared as the deploy resolves it', () => {
    expect(cdn.outputs.map((output) => output.name)).toEqual(['ServiceUrl']);
    expect(cdn.outputs[0].after).toContain('/ali-cdn-test/');
  });
});

test('a certificate change (another CAS certificate id) is security-relevant and replaces the binding', () => {
  const base = variant('signed');
  const head: SynthesizedStack[] = structuredClone(base);
  const cdnHead = head.find((stack) => stack.stackName.endsWith('-cdn'))!;
  // What `certificate.certificateId` in the configuration becomes at synth (lib/ros/certificate-binding.ts).
  (cdnHead.template.Parameters as Record<string, { Default: string }>).CasCertificateId.Default = '87654321';

  const report = diffStackSets(base, head);
  const cdn = stackOf(report, '-cdn');
  const binding = logicalIdOfType(cdnHead, 'ALIYUN::OOS::Execution');

  expect(cdn.parameterValues).toEqual([{ name: 'CasCertificateId', kind: 'modified', before: '12345678', after: '87654321' }]);
  expect(cdn.security.map((note) => [note.subject, note.reason])).toEqual(
    expect.arrayContaining([
      [binding, 'certificate binding (OOS execution)'],
      ['Parameters.CasCertificateId', 'HTTPS certificate'],
    ]),
  );
  expect(destructiveChanges(report).map((change) => [change.resource.logicalId, change.resource.impact])).toEqual([[binding, 'replace']]);
});

describe('Route 53 records get the DNS rules of Alibaba DNS records', () => {
  test('moving a site from Alibaba DNS to Route 53 flags the new record as well as the deleted one', () => {
    const report = diffStackSets(variant('signed'), variant('signedRoute53'));
    const notes = report.stacks.flatMap((stack) => stack.security.map((note) => `${note.resourceType}: ${note.reason}: ${note.detail}`));
    expect(notes).toEqual(['AWS::Route53::RecordSet: DNS record: added', 'ALIYUN::DNS::DomainRecord: DNS record: removed']);
  });

  test('a hosted zone change is flagged and replaces the record', () => {
    const base = variant('signedRoute53');
    const head: SynthesizedStack[] = structuredClone(base);
    const dnsHead = head.find((stack) => stack.stackName.endsWith('-dns'))!;
    const record = logicalIdOfType(dnsHead, 'AWS::Route53::RecordSet');
    resourceOf(dnsHead.template, record).Properties.HostedZoneId = 'Z9999999999ZYXWVUTSRQ';

    const dns = stackOf(diffStackSets(base, head), '-dns');

    expect(dns.security).toEqual([expect.objectContaining({ subject: record, reason: 'DNS record', detail: 'changed: HostedZoneId' })]);
    expect(dns.resources[0]).toMatchObject({ logicalId: record, impact: 'replace' });
  });
});

describe('IAM changes', () => {
  const policyId = 'OriginBucketPolicy2D9E4B71';
  const broadened = (stack: StackReview) => stack.security.some((note) => note.reason === 'IAM permissions broadened');

  test('a removed stack or a removed Allow statement is not "IAM permissions broadened"', () => {
    expect(broadened(diffStack({ stackName: AWS_STACK, cloud: 'aws', base: baseTemplate(AWS_STACK), head: undefined }))).toBe(false);

    const head = baseTemplate(AWS_STACK);
    const statements = resourceOf(head, policyId).Properties.PolicyDocument.Statement as { Effect: string }[];
    statements.splice(
      statements.findIndex((statement) => statement.Effect === 'Allow'),
      1,
    );
    expect(broadened(diffStack({ stackName: AWS_STACK, cloud: 'aws', base: baseTemplate(AWS_STACK), head }))).toBe(false);
  });

  test('an added statement is marked as added, and broadens permissions', () => {
    const head = baseTemplate(AWS_STACK);
    const statements = resourceOf(head, policyId).Properties.PolicyDocument.Statement as unknown[];
    statements.push({ Sid: 'AllowEveryone', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' });
    const review = diffStack({ stackName: AWS_STACK, cloud: 'aws', base: baseTemplate(AWS_STACK), head });

    expect(broadened(review)).toBe(true);
    const markdown = renderReviewMarkdown({ stacks: [review] }, context);
    expect(markdown).toContain(`  - \`PolicyDocument.Statement[${statements.length - 1}]\`: *(added)* \`{"Sid":"AllowEveryone"`);
  });
});

test('a policy path with markup is printed inside a code span in the security list, with a longer fence for backticks', () => {
  const hostileKey = 'aws:Referer<img src=x onerror=alert(1)>`@octocat`';
  const base = baseTemplate(AWS_STACK);
  resourceOf(base, 'OriginBucketPolicy2D9E4B71').Properties.PolicyDocument.Statement[1].Condition = {
    StringLike: { [hostileKey]: 'https://old.test.com/*' },
  };
  const head = structuredClone(base);
  resourceOf(head, 'OriginBucketPolicy2D9E4B71').Properties.PolicyDocument.Statement[1].Condition.StringLike[hostileKey] =
    'https://test.test.com/*';

  const markdown = renderReviewMarkdown({ stacks: [diffStack({ stackName: AWS_STACK, cloud: 'aws', base, head })] }, context);

  const securityLine = markdown.split('\n').find((line) => line.includes('**bucket policy**'))!;
  expect(securityLine).toContain(`changed: \`\` PolicyDocument.Statement[1].Condition.StringLike.${hostileKey} \`\``);
  expect(outsideCodeSpans(markdown)).not.toMatch(/<img|@octocat/);
});
