import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ORIGIN_OUTPUT_KEYS as K, parseOriginOutputs, readOriginOutputs } from '../../../lib/deploy/aws/origin-outputs';

const file = 'deploy-outputs.json';
const readerArn = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:origin-reader-AbCdEf';
const refererArn = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:origin-referer-AbCdEf';

function virtualHosted(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    [K.bucketName]: 'ali-cdn-test',
    [K.bucketRegion]: 'ap-northeast-2',
    [K.originHost]: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com',
    [K.originPathPrefix]: '/',
    ...extra,
  };
}

const doc = (stacks: Record<string, unknown>) => JSON.stringify(stacks);

describe('parseOriginOutputs', () => {
  it('parses a signed-mode stack with a virtual-hosted origin', () => {
    const parsed = parseOriginOutputs(
      doc({ OriginStack: virtualHosted({ [K.readerSecretArn]: readerArn, [K.readerUserName]: 'origin-Reader-1AB2', Other: 'ignored' }) }),
      {
        file,
        stacks: ['OriginStack'],
        mode: 'signed',
      },
    );
    expect(parsed).toEqual({
      OriginStack: {
        stackName: 'OriginStack',
        mode: 'signed',
        bucketName: 'ali-cdn-test',
        bucketRegion: 'ap-northeast-2',
        originHost: 'ali-cdn-test.s3.ap-northeast-2.amazonaws.com',
        originPathPrefix: '/',
        urlStyle: 'virtual-hosted',
        readerSecretArn: readerArn,
        readerUserName: 'origin-Reader-1AB2',
      },
    });
  });

  it('parses a referer-secret stack with a path-style origin (the guide layout)', () => {
    const outputs = virtualHosted({
      [K.originHost]: 's3.ap-northeast-2.amazonaws.com',
      [K.originPathPrefix]: '/ali-cdn-test/',
      [K.refererSecretArn]: refererArn,
    });
    const parsed = parseOriginOutputs(doc({ A: outputs, B: { unrelated: 'x' } }), { file, stacks: ['A'], mode: 'referer-secret' });
    expect(parsed.A).toMatchObject({ mode: 'referer-secret', urlStyle: 'path', refererSecretArn: refererArn });
    expect(Object.keys(parsed)).toEqual(['A']);
  });

  it('parses several stacks and the referer mode without a secret', () => {
    const parsed = parseOriginOutputs(doc({ A: virtualHosted(), B: virtualHosted() }), { file, stacks: ['A', 'B'], mode: 'referer' });
    expect(Object.values(parsed).map((outputs) => outputs.mode)).toEqual(['referer', 'referer']);
  });

  it('rejects invalid JSON and a non-object document', () => {
    expect(() => parseOriginOutputs('{"A":', { file, stacks: ['A'], mode: 'referer' })).toThrow(
      'deploy-outputs.json: not valid JSON; expected an object of stack names to their outputs.',
    );
    expect(() => parseOriginOutputs('[]', { file, stacks: ['A'], mode: 'referer' })).toThrow(
      'deploy-outputs.json: expected a JSON object of stack names to their outputs, got an array.',
    );
  });

  it('names a missing stack and the stacks the file does have', () => {
    expect(() => parseOriginOutputs(doc({ Other: {} }), { file, stacks: ['OriginStack'], mode: 'referer' })).toThrow(
      'deploy-outputs.json: stack "OriginStack" is missing; the file has "Other". Was it deployed with --outputs-file?',
    );
    expect(() => parseOriginOutputs(doc({ OriginStack: 'x' }), { file, stacks: ['OriginStack'], mode: 'referer' })).toThrow(
      'deploy-outputs.json: stack "OriginStack": expected an object of outputs, got a string.',
    );
  });

  it('names a missing key with the mode and what was expected', () => {
    expect(() => parseOriginOutputs(doc({ S: virtualHosted() }), { file, stacks: ['S'], mode: 'signed' })).toThrow(
      'deploy-outputs.json: stack "S" (signed mode): output "ReaderSecretArn" is missing; expected a Secrets Manager secret ARN',
    );
    expect(() => parseOriginOutputs(doc({ S: virtualHosted() }), { file, stacks: ['S'], mode: 'referer-secret' })).toThrow(
      'output "RefererSecretArn" is missing',
    );
  });

  it('names every malformed key with its value and what was expected', () => {
    const outputs = virtualHosted({ [K.bucketName]: 'Ali_CDN', [K.bucketRegion]: 'Seoul', [K.originPathPrefix]: 7 });
    let message = '';
    try {
      parseOriginOutputs(doc({ S: outputs }), { file, stacks: ['S'], mode: 'referer' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'deploy-outputs.json: stack "S" (referer mode): output "BucketName" is "Ali_CDN"; expected an S3 bucket name (3-63 characters: lowercase letters, digits, "." and "-")',
      'deploy-outputs.json: stack "S" (referer mode): output "BucketRegion" is "Seoul"; expected an AWS region name such as ap-northeast-2',
      'deploy-outputs.json: stack "S" (referer mode): output "OriginPathPrefix" is not a string; expected "/" for virtual-hosted origins or "/<bucket>/" for path-style origins',
    ]);
  });

  it('rejects an origin host that is not the S3 host of the bucket', () => {
    const outputs = virtualHosted({ [K.originHost]: 'test.test.com' });
    expect(() => parseOriginOutputs(doc({ S: outputs }), { file, stacks: ['S'], mode: 'referer' })).toThrow(
      'deploy-outputs.json: stack "S": output "OriginHost" is "test.test.com"; expected the S3 REST host of bucket "ali-cdn-test" in ap-northeast-2: "ali-cdn-test.s3.ap-northeast-2.amazonaws.com" or',
    );
  });

  it('rejects a path prefix that does not match the URL style of the host', () => {
    expect(() =>
      parseOriginOutputs(doc({ S: virtualHosted({ [K.originPathPrefix]: '/ali-cdn-test/' }) }), { file, stacks: ['S'], mode: 'referer' }),
    ).toThrow(
      'output "OriginPathPrefix" is "/ali-cdn-test/"; expected "/" because "OriginHost" "ali-cdn-test.s3.ap-northeast-2.amazonaws.com" is a virtual-hosted S3 host.',
    );
    expect(() =>
      parseOriginOutputs(doc({ S: virtualHosted({ [K.originHost]: 's3.ap-northeast-2.amazonaws.com' }) }), {
        file,
        stacks: ['S'],
        mode: 'referer',
      }),
    ).toThrow(
      'output "OriginPathPrefix" is "/"; expected "/ali-cdn-test/" because "OriginHost" "s3.ap-northeast-2.amazonaws.com" is a path-style S3 host.',
    );
  });

  it('rejects a malformed secret ARN', () => {
    const outputs = virtualHosted({ [K.readerSecretArn]: 'arn:aws:iam::111122223333:user/reader' });
    expect(() => parseOriginOutputs(doc({ S: outputs }), { file, stacks: ['S'], mode: 'signed' })).toThrow(
      'output "ReaderSecretArn" is "arn:aws:iam::111122223333:user/reader"; expected a Secrets Manager secret ARN',
    );
  });
});

describe('readOriginOutputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'origin-outputs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file written by cdk deploy', async () => {
    const outputsFile = path.join(dir, 'outputs.json');
    writeFileSync(outputsFile, doc({ S: virtualHosted() }));
    const parsed = await readOriginOutputs({ file: outputsFile, stacks: ['S'], mode: 'referer' });
    expect(parsed.S.bucketName).toBe('ali-cdn-test');
  });

  it('names a missing file and how it is produced', async () => {
    const missing = path.join(dir, 'nope.json');
    await expect(readOriginOutputs({ file: missing, stacks: ['S'], mode: 'referer' })).rejects.toThrow(
      `${missing}: outputs file not found; expected the JSON file written by \`cdk deploy --outputs-file ${missing}\`.`,
    );
  });
});
