import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type DeployOutputsFile,
  outputsFilePath,
  readDeployOutputs,
  readDeployOutputsIfPresent,
  writeDeployOutputs,
} from '../../lib/deploy/deploy-outputs-file';

const sample: DeployOutputsFile = {
  stage: 'example',
  updatedAt: '2026-11-28T17:00:00.000Z',
  sites: {
    'test-test-com': {
      domain: 'test.test.com',
      aws: { stackName: 's3alicdn-example-test-test-com-origin', outputs: { BucketName: 'ali-cdn-test' } },
      ros: {
        stackName: 's3alicdn-example-test-test-com-cdn',
        stackId: 'stack-1',
        regionId: 'ap-southeast-1',
        outputs: { CdnCname: 'x.w.kunlunsl.com' },
      },
      dns: { provider: 'alidns', name: 'test.test.com', cnameTarget: 'x.w.kunlunsl.com' },
    },
  },
};

describe('deploy outputs file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-outputs-'));
  const file = outputsFilePath('example', dir);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('round-trips and leaves no temporary file', () => {
    writeDeployOutputs(file, sample);
    expect(readDeployOutputs(file)).toEqual(sample);
    expect(fs.readdirSync(dir)).toEqual(['deploy-outputs.example.json']);
  });

  test('a missing file says to deploy first', () => {
    expect(() => readDeployOutputs(path.join(dir, 'nope.json'))).toThrow('nope.json: not found; run `npm run deploy` first');
  });

  test('malformed JSON and a wrong shape are named', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{');
    expect(() => readDeployOutputs(path.join(dir, 'bad.json'))).toThrow(/bad\.json: not valid JSON/);
    fs.writeFileSync(path.join(dir, 'shape.json'), JSON.stringify({ ...sample, sites: { a: { domain: 'x', aws: { stackName: 's' } } } }));
    expect(() => readDeployOutputs(path.join(dir, 'shape.json'))).toThrow(/shape\.json: sites\.a\.aws\.outputs: /);
  });

  test('a file of another stage is refused rather than overwritten', () => {
    writeDeployOutputs(file, sample);
    expect(() => readDeployOutputsIfPresent(file, 'prod')).toThrow('belongs to stage "example", not "prod"');
    expect(readDeployOutputsIfPresent(path.join(dir, 'absent.json'), 'prod').sites).toEqual({});
  });
});
