import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { runOutputs } from '../../lib/cli/outputs-command';
import { runVerifyCommand } from '../../lib/cli/verify-command';
import { outputsFilePath, writeDeployOutputs } from '../../lib/deploy/deploy-outputs-file';
import { exampleStageWith } from '../helpers/stage-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeOutputs(withCname: boolean) {
  writeDeployOutputs(outputsFilePath('example', dir), {
    stage: 'example',
    updatedAt: '2026-11-28T17:00:00.000Z',
    sites: {
      'test-test-com': {
        domain: 'test.test.com',
        aws: { stackName: 's3alicdn-example-test-test-com-origin', outputs: { BucketName: 'ali-cdn-test' } },
        ...(withCname
          ? {
              ros: {
                stackName: 's3alicdn-example-test-test-com-cdn',
                stackId: 'stack-1',
                regionId: 'ap-southeast-1',
                outputs: { CdnCname: 'test.test.com.w.kunlunsl.com' },
              },
            }
          : {}),
      },
    },
  });
}

describe('outputs command', () => {
  test("prints both clouds' outputs, or the file as JSON", () => {
    writeOutputs(true);
    const lines: string[] = [];
    expect(runOutputs({ stage: 'example' }, dir, (text) => lines.push(text))).toBe(0);
    expect(lines.join('\n')).toContain('aws  s3alicdn-example-test-test-com-origin.BucketName = ali-cdn-test');
    expect(lines.join('\n')).toContain('ros  s3alicdn-example-test-test-com-cdn.CdnCname = test.test.com.w.kunlunsl.com');
    const json: string[] = [];
    runOutputs({ stage: 'example', json: true }, dir, (text) => json.push(text));
    expect(JSON.parse(json[0]).sites['test-test-com'].domain).toBe('test.test.com');
  });

  test('a stage never deployed says so', () => {
    expect(() => runOutputs({ stage: 'prod' }, dir, () => undefined)).toThrow(
      'deploy-outputs.prod.json: not found; run `npm run deploy` first',
    );
  });
});

describe('verify command', () => {
  test('a site without a CDN Cname fails with what to run, without touching S3', async () => {
    writeOutputs(false);
    const printed: string[] = [];
    const s3 = jest.fn(() => new S3Client({}));
    const code = await runVerifyCommand(exampleStageWith(), {}, { s3, print: (text) => printed.push(text) }, dir);
    expect(code).toBe(1);
    expect(printed.join('\n')).toContain('test.test.com: not deployed yet');
    expect(printed.join('\n')).toContain('npm run deploy -- --stage example');
    expect(s3).not.toHaveBeenCalled();
  });
});
