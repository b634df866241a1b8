import * as path from 'node:path';
import { diffStackSets } from '../../lib/review/diff-output-sets';
import { loadOutputSet, type SynthesizedStack } from '../../lib/review/output-set';
import { DEFAULT_MAX_LENGTH, renderReviewMarkdown } from '../../lib/review/review-markdown';
import { FIFTY_SITES } from '../helpers/fifty-site-stage';
import { SYNTH_CACHE_ENV } from '../helpers/test-variants';

/**
 * The review at scale: the fifty-site stage (synthesized once for the run by global-setup.ts through the real synth
 * path) against a head in which two of its hundred stacks changed. The comment must still name exactly those two,
 * flag the policy change, and fit in a pull-request comment.
 */
const stageDir = () => path.join(process.env[SYNTH_CACHE_ENV]!, 'fifty-sites');
const context = { stage: 'example', baseRef: 'origin/main', baseCommit: 'a'.repeat(40), headCommit: 'b'.repeat(40) };

function resourcesOfType(stack: SynthesizedStack, type: string): Record<string, any>[] {
  return Object.values(stack.template.Resources as Record<string, any>).filter((resource) => resource.Type === type);
}

test(`a review of ${FIFTY_SITES} sites names exactly the stacks that changed`, () => {
  const base = loadOutputSet(stageDir());
  expect(base).toHaveLength(2 * FIFTY_SITES);
  const head: SynthesizedStack[] = JSON.parse(JSON.stringify(base));

  const origin = head.find((stack) => stack.stackName === 's3alicdn-example-site7-test-com-origin')!;
  const [policy] = resourcesOfType(origin, 'AWS::S3::BucketPolicy').filter((resource) =>
    JSON.stringify(resource).includes('DenyInsecureTransport'),
  );
  policy.Properties.PolicyDocument.Statement.push({
    Sid: 'AllowEveryone',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: '*',
  });
  const cdn = head.find((stack) => stack.stackName === 's3alicdn-example-site42-test-com-cdn')!;
  const [config] = resourcesOfType(cdn, 'ALIYUN::CDN::DomainConfig');
  config.Properties.FunctionList[0].FunctionArgs[0].ArgValue = 'changed-in-head';

  const report = diffStackSets(base, head);
  const changed = report.stacks.filter((stack) => stack.status !== 'unchanged').map((stack) => stack.stackName);
  expect(changed.sort()).toEqual(['s3alicdn-example-site42-test-com-cdn', 's3alicdn-example-site7-test-com-origin']);

  const markdown = renderReviewMarkdown(report, context);
  expect(markdown.length).toBeLessThanOrEqual(DEFAULT_MAX_LENGTH);
  expect(markdown).toContain('`s3alicdn-example-site7-test-com-origin` (AWS CloudFormation): 1 modified');
  expect(markdown).toContain('`s3alicdn-example-site42-test-com-cdn` (Alibaba Cloud ROS): 1 modified; **1 replacement**');
  expect(markdown).toContain('**bucket policy**');
  expect(markdown.match(/: no changes$/gm)).toHaveLength(2 * FIFTY_SITES - 2);
});
