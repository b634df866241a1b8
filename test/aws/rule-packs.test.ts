import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildAwsApp } from '../../lib/aws/aws-app';
import { OriginStack } from '../../lib/aws/origin-stack';
import { exampleStageWith } from '../helpers/stage-fixtures';

/** Builds the real AWS app for the example stage, lets a test add to its origin stack, and synthesizes it. */
function synthWith(addToOriginStack: (stack: OriginStack) => void, mode = 'signed'): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-nag-'));
  const app = buildAwsApp(
    exampleStageWith((site) => (site.originAccess = { mode })),
    { outdir },
  );
  addToOriginStack(app.node.children.find((child): child is OriginStack => child instanceof OriginStack)!);
  app.synth();
}

describe('rule packs fail synth on any unacknowledged finding', () => {
  test('the project as configured synthesizes clean in every mode', () => {
    for (const mode of ['signed', 'referer-secret', 'referer']) expect(() => synthWith(() => undefined, mode)).not.toThrow();
  });

  test('a new bucket without access logs or TLS enforcement fails with AwsSolutions-S1 and -S10', () => {
    expect(() => synthWith((stack) => new s3.Bucket(stack, 'Unlogged', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL }))).toThrow(
      /AwsSolutions-S1[\s\S]*AwsSolutions-S10|AwsSolutions-S10[\s\S]*AwsSolutions-S1/,
    );
  });

  test('the reader wildcard acknowledgement is narrow: GetObject on every bucket still fails AwsSolutions-IAM5', () => {
    expect(() =>
      synthWith((stack) =>
        stack.reader!.user.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::*/*'] })),
      ),
    ).toThrow(/AwsSolutions-IAM5\[Resource::arn:aws:s3:::\*\/\*\]/);
  });

  test('the public-policy acknowledgement is per construct: another bucket with relaxed Block Public Access fails AwsSolutions-S2', () => {
    expect(() =>
      synthWith(
        (stack) =>
          new s3.Bucket(stack, 'AlsoPublic', {
            blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
            enforceSSL: true,
            serverAccessLogsBucket: stack.origin.accessLogs,
          }),
        'referer',
      ),
    ).toThrow(/AwsSolutions-S2/);
  });

  test('built-in CloudFormation validation is strict: an unknown property fails synth', () => {
    expect(() =>
      synthWith((stack) => (stack.origin.bucket.node.defaultChild as CfnResource).addPropertyOverride('NotAProperty', true)),
    ).toThrow(/NotAProperty/);
  });
});
