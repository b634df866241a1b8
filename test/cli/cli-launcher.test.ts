import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_DIR } from '../helpers/stage-fixtures';

// bin/cli.cjs (what `npm run publish` runs) compiles bin/ and lib/ into node_modules/.cache/s3-alicdn/cli/<hash>/.
// These tests run it in one copy of the project whose node_modules is a folder of links to this project's packages,
// so its cache is its own and a source can be changed without touching this checkout. They run in order, each
// starting from the cache the one before left.

let project: string;
const cacheRoot = () => path.join(project, 'node_modules', '.cache', 's3-alicdn', 'cli');
const outputs = () => (fs.existsSync(cacheRoot()) ? fs.readdirSync(cacheRoot()).filter((name) => !name.startsWith('.')) : []);

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-launcher-'));
  for (const entry of ['bin', 'lib']) fs.cpSync(path.join(PROJECT_DIR, entry), path.join(project, entry), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json']) fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(project, file));
  fs.mkdirSync(path.join(project, 'node_modules'));
  for (const entry of fs.readdirSync(path.join(PROJECT_DIR, 'node_modules'))) {
    if (entry !== '.cache') fs.symlinkSync(path.join(PROJECT_DIR, 'node_modules', entry), path.join(project, 'node_modules', entry));
  }
});

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

function launch(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(project, 'bin/cli.cjs'), ...args], {
    cwd: project,
    env: { ...process.env, S3ALICDN_CLI_COMPILE: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('two processes compiling at once both run the CLI, and leave one folder named by the sources', async () => {
  const [left, right] = await Promise.all([launch(['--help']), launch(['--help'])]);
  for (const result of [left, right]) {
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Usage: s3-alicdn');
  }
  expect(outputs()).toHaveLength(1);
  expect(fs.readdirSync(cacheRoot()).filter((name) => name.startsWith('.'))).toEqual([]);
  const [folder] = outputs();
  expect(fs.existsSync(path.join(cacheRoot(), folder, 'lib', 'publish', 'run-publish.js'))).toBe(true);
  // JSON files beside the sources are carried along, for any module that requires one.
  expect(fs.existsSync(path.join(cacheRoot(), folder, 'lib', 'ci-identity', 'alibaba-github-oidc-role.ros.json'))).toBe(true);
});

test('unchanged sources reuse the folder; lazily imported modules load from it', async () => {
  const [folder] = outputs();
  const marker = path.join(cacheRoot(), folder, 'bin', 'cli.js');
  const writtenAt = fs.statSync(marker).mtimeMs;
  // `publish` loads lib/cli/publish-command and the S3 SDK with import(); without --dir it stops with a usage error.
  fs.mkdirSync(path.join(project, 'config'));
  fs.copyFileSync(path.join(PROJECT_DIR, 'config/example.json'), path.join(project, 'config/example.json'));
  fs.writeFileSync(path.join(project, 'deploy-outputs.example.json'), '{}');
  const result = await launch(['publish', '--stage', 'example', '--ci']);
  expect(result.code).toBe(2);
  expect(JSON.parse(result.stdout)).toMatchObject({
    ok: false,
    error: { code: 'USAGE', message: expect.stringContaining('--dir is required') },
  });
  expect(outputs()).toEqual([folder]);
  expect(fs.statSync(marker).mtimeMs).toBe(writtenAt);
});

test('a changed source is compiled again before it runs: never stale output', async () => {
  const before = outputs();
  const program = path.join(project, 'lib/cli/program.ts');
  fs.writeFileSync(
    program,
    fs.readFileSync(program, 'utf8').replace("'An S3 bucket served", "'A CHANGED description: an S3 bucket served"),
  );
  const result = await launch(['--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('A CHANGED description');
  expect(outputs()).toHaveLength(2);
  expect(outputs()).toEqual(expect.arrayContaining(before));
});

test('with compiling turned off, or failing, the CLI runs through tsx as before and nothing half-written is kept', async () => {
  const off = await launch(['--help'], { S3ALICDN_CLI_COMPILE: '0' });
  expect(off).toMatchObject({ code: 0, stderr: '' });
  expect(off.stdout).toContain('A CHANGED description');

  // A file esbuild refuses (not imported by the CLI, so tsx still runs): the compile fails, tsx runs the command.
  fs.writeFileSync(path.join(project, 'lib/broken.ts'), 'export const = ;\n');
  const before = fs.readdirSync(cacheRoot()).sort();
  const failed = await launch(['--help'], { S3ALICDN_CLI_COMPILE: '' });
  expect(failed).toMatchObject({ code: 0, stderr: '' });
  expect(failed.stdout).toContain('A CHANGED description');
  expect(fs.readdirSync(cacheRoot()).sort()).toEqual(before);
});
