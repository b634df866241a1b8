import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { credentialFreeEnv, npmSynth, synthCommandLine } from '../../lib/review/synth-runner';

test('the synth command is npm run synth with the stage', () => {
  expect(synthCommandLine('prod')).toEqual({ command: 'npm', args: ['run', 'synth', '--', '--stage', 'prod'] });
});

test('credentials of both clouds and the GitHub OIDC request token are removed from the environment', () => {
  const env = credentialFreeEnv({
    PATH: '/bin',
    AWS_REGION: 'ap-northeast-2',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_SESSION_TOKEN: 'x',
    AWS_PROFILE: 'x',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'x',
    ALICLOUD_SECRET_KEY: 'x',
    ACCESS_KEY_SECRET: 'x',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x',
  });
  expect(env).toEqual({
    PATH: '/bin',
    AWS_REGION: 'ap-northeast-2',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: os.devNull,
    AWS_CONFIG_FILE: os.devNull,
  });
});

describe('npmSynth runs the project script', () => {
  let dir: string;
  const saved = process.env.AWS_SECRET_ACCESS_KEY;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-synth-'));
    fs.writeFileSync(
      path.join(dir, 'synth.js'),
      [
        "const fs = require('fs');",
        "if (process.argv.includes('--fail')) { console.error('config error: stage missing'); process.exit(3); }",
        "fs.writeFileSync('seen.json', JSON.stringify({ argv: process.argv.slice(2), secret: process.env.AWS_SECRET_ACCESS_KEY ?? null }));",
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fake', private: true, scripts: { synth: 'node synth.js' } }));
    process.env.AWS_SECRET_ACCESS_KEY = 'must-not-reach-synth';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('passes --stage through and hides credentials', async () => {
    await npmSynth({ dir, stage: 'example', side: 'head' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'seen.json'), 'utf8'))).toEqual({ argv: ['--stage', 'example'], secret: null });
  });

  test('a failing synth is an error with the command, the side and the end of its output', async () => {
    // A stage value is only ever a validated name; here it smuggles the fake script's failure switch.
    await expect(npmSynth({ dir, stage: '--fail', side: 'base' })).rejects.toThrow(
      /npm run synth -- --stage --fail failed for the base checkout \(exit 3\) in .*:\n[\s\S]*config error: stage missing/,
    );
  });
});
