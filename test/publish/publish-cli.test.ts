import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_DIR } from '../helpers/stage-fixtures';
import { BUCKET, DOMAIN, PublishWorld } from './publish-world';

const world = new PublishWorld();
beforeAll(() => world.start());
afterAll(() => world.close());

/**
 * `npm run publish` as a user runs it (`node bin/cli.cjs publish`: the CLI compiled to JavaScript): the real CLI in a
 * child process, its SDKs pointed at the test doubles.
 */
function publishCli(project: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(PROJECT_DIR, 'bin/cli.cjs'), 'publish', ...args], {
    cwd: project,
    env: {
      ...process.env,
      // A compile failure is an error here, not a quiet fall back to tsx.
      S3ALICDN_CLI_COMPILE: '1',
      S3ALICDN_S3_ENDPOINT: world.s3Double.endpoint,
      S3ALICDN_CDN_ENDPOINT: world.rpc.endpoint,
      S3ALICDN_ALIBABA_PROTOCOL: 'HTTP',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-publish-test',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'publish-secret',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('the publish command works end to end from a project folder, and a second run changes nothing', async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-cli-'));
  world.dirs.push(project);
  fs.mkdirSync(path.join(project, 'config'));
  fs.copyFileSync(path.join(PROJECT_DIR, 'config/example.json'), path.join(project, 'config/example.json'));
  fs.writeFileSync(
    path.join(project, 'deploy-outputs.example.json'),
    JSON.stringify({
      stage: 'example',
      updatedAt: 'x',
      sites: {
        'test-test-com': {
          domain: DOMAIN,
          aws: { stackName: 'o', outputs: { BucketName: BUCKET, BucketRegion: 'ap-northeast-2' } },
          ros: { stackName: 'c', stackId: 'c', regionId: 'ap-southeast-1', outputs: { CdnDomain: DOMAIN } },
        },
      },
    }),
  );
  const dist = world.folder({ 'index.html': '<h1>hi</h1>', 'app.css': 'body{}' });

  const first = await publishCli(project, ['--stage', 'example', '--dir', dist, '--ci', '--wait']);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, files: { uploaded: 2 }, refresh: { urls: 3, complete: true } });

  const second = await publishCli(project, ['--stage', 'example', '--dir', dist]);
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/^test\.test\.com: uploaded 0 of 2 files \(0 bytes\), 2 unchanged, deleted 0\n {2}CDN refresh: 0 URL\(s\)/);
}, 60_000);
