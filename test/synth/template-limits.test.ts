import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assertWithinLimits,
  CLOUDFORMATION_LIMITS,
  limitViolations,
  ROS_TEMPLATE_LIMITS,
  type TemplateFigures,
  TemplateLimitError,
} from '../../lib/synth/template-limits';
import { FIFTY_SITES } from '../helpers/fifty-site-stage';
import { SYNTH_CACHE_ENV } from '../helpers/test-variants';

const within: TemplateFigures = {
  file: 'x.template.json',
  bytes: 10_000,
  resources: 20,
  parameters: 5,
  outputs: 6,
  mappings: 0,
  largestBucketPolicyBytes: 1_500,
};

describe('limitViolations', () => {
  test('a template within every limit has none', () => {
    expect(limitViolations(within, 'CloudFormation', CLOUDFORMATION_LIMITS)).toEqual([]);
    expect(limitViolations(within, 'ROS', ROS_TEMPLATE_LIMITS)).toEqual([]);
  });

  test.each([
    [
      'resources',
      { resources: 501 },
      'CloudFormation',
      'x.template.json: 501 resources; CloudFormation allows at most 500. Each stack holds one site',
    ],
    ['parameters', { parameters: 201 }, 'CloudFormation', 'x.template.json: 201 parameters; CloudFormation allows at most 200.'],
    ['outputs', { outputs: 201 }, 'CloudFormation', 'x.template.json: 201 outputs; CloudFormation allows at most 200.'],
    ['mappings', { mappings: 201 }, 'CloudFormation', 'x.template.json: 201 mappings; CloudFormation allows at most 200.'],
    [
      'template size',
      { bytes: 1_000_001 },
      'CloudFormation',
      'x.template.json: 1000001 bytes of template; CloudFormation allows at most 1000000.',
    ],
    [
      'bucket policy size',
      { largestBucketPolicyBytes: 20_481 },
      'CloudFormation',
      'x.template.json: 20481 bytes in a bucket policy; CloudFormation allows at most 20480. S3 refuses a larger policy',
    ],
    ['ROS resources', { resources: 201 }, 'ROS', 'x.template.json: 201 resources; ROS allows at most 200.'],
    ['ROS template size', { bytes: 524_289 }, 'ROS', 'x.template.json: 524289 bytes of template; ROS allows at most 524288.'],
  ] as const)('over the %s limit', (_what, change, engine, expected) => {
    const limits = engine === 'ROS' ? ROS_TEMPLATE_LIMITS : CLOUDFORMATION_LIMITS;
    const found = limitViolations({ ...within, ...change }, engine, limits);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  test('exactly at a limit is allowed', () => {
    expect(limitViolations({ ...within, resources: 200, bytes: 524_288 }, 'ROS', ROS_TEMPLATE_LIMITS)).toEqual([]);
  });
});

describe('assertWithinLimits over synthesized folders', () => {
  function folders(aws: Record<string, unknown>, ros: Record<string, unknown>): { aws: string; ros: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-limits-'));
    const write = (sub: string, templates: Record<string, unknown>) => {
      fs.mkdirSync(path.join(dir, sub));
      for (const [name, body] of Object.entries(templates))
        fs.writeFileSync(path.join(dir, sub, `${name}.template.json`), JSON.stringify(body));
      // Files that are not templates are not counted.
      fs.writeFileSync(path.join(dir, sub, 'manifest.json'), JSON.stringify({ Resources: resources(1000) }));
    };
    write('aws', aws);
    write('ros', ros);
    return { aws: path.join(dir, 'aws'), ros: path.join(dir, 'ros') };
  }
  const resources = (length: number) =>
    Object.fromEntries(Array.from({ length }, (_unused, index) => [`R${index}`, { Type: 'AWS::SNS::Topic' }]));

  test('lists every violation in every template at once', () => {
    const bigPolicy = { Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: { Statement: [{ Sid: 'x'.repeat(21_000) }] } } };
    const dirs = folders({ a: { Resources: resources(501) }, b: { Resources: { P: bigPolicy } } }, { c: { Resources: resources(201) } });
    expect(() => assertWithinLimits(dirs.aws, dirs.ros, undefined, { aws: 'cdk.out', ros: 'ros.out' })).toThrow(TemplateLimitError);
    try {
      assertWithinLimits(dirs.aws, dirs.ros, undefined, { aws: 'cdk.out', ros: 'ros.out' });
    } catch (error) {
      expect((error as TemplateLimitError).violations).toEqual([
        expect.stringContaining('cdk.out/a.template.json: 501 resources; CloudFormation allows at most 500.'),
        expect.stringContaining(
          `cdk.out/b.template.json: ${JSON.stringify(bigPolicy.Properties.PolicyDocument).length} bytes in a bucket policy; CloudFormation allows at most 20480.`,
        ),
        expect.stringContaining('ros.out/c.template.json: 201 resources; ROS allows at most 200.'),
      ]);
    }
  });

  test(`the ${FIFTY_SITES}-site stage is within every limit, with room to spare`, () => {
    // Synthesized once for the run by global-setup.ts, through the real synth path (which ran this same check).
    const stageDir = path.join(process.env[SYNTH_CACHE_ENV]!, 'fifty-sites');
    const figures = assertWithinLimits(path.join(stageDir, 'cdk.out'), path.join(stageDir, 'ros.out'));
    expect(figures).toHaveLength(2 * FIFTY_SITES);
    const most = (pick: (f: TemplateFigures) => number) => Math.max(...figures.map(pick));
    // One site per stack, so no figure grows with the number of sites: each stays far below its limit.
    expect(most((templateFigures) => templateFigures.resources)).toBeLessThan(ROS_TEMPLATE_LIMITS.maxResources / 5);
    expect(most((templateFigures) => templateFigures.bytes)).toBeLessThan(ROS_TEMPLATE_LIMITS.maxTemplateBytes / 10);
    expect(most((templateFigures) => templateFigures.largestBucketPolicyBytes)).toBeLessThan(
      CLOUDFORMATION_LIMITS.maxBucketPolicyBytes! / 5,
    );
  });
});
