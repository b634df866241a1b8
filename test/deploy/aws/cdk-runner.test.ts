import { spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { cdkDeployArgs, cdkDestroyArgs, cdkDiffArgs, createCdkRunner, type SpawnFunction } from '../../../lib/deploy/aws/cdk-runner';

/** A test double for a child process: the runner only listens for output, 'error' and 'close'. */
class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
}

interface SpawnCall {
  command: string;
  args: readonly string[];
  options: SpawnOptions;
}

function fakeSpawn(script: (child: FakeChild) => void): { spawn: SpawnFunction; calls: SpawnCall[] } {
  const calls: SpawnCall[] = [];
  const spawn: SpawnFunction = (command, args, options) => {
    calls.push({ command, args, options });
    const child = new FakeChild();
    setImmediate(() => script(child));
    return child as unknown as ChildProcess;
  };
  return { spawn, calls };
}

const projectDir = '/work/project';
const localCdk = path.join(projectDir, 'node_modules', '.bin', 'cdk');
const exists = (file: string) => file === localCdk;

describe('createCdkRunner', () => {
  it('spawns the project-local cdk in the project directory and returns its exit code', async () => {
    const { spawn, calls } = fakeSpawn((child) => child.emit('close', 0, null));
    const runner = createCdkRunner({ projectDir, spawn, fileExists: exists, baseEnv: { PATH: '/usr/bin' } });
    const args = cdkDeployArgs({ stacks: ['OriginStack'], outputsFile: 'deploy-outputs.json', requireApproval: 'never' });

    await expect(runner.run(args)).resolves.toEqual({ exitCode: 0 });
    expect(calls).toHaveLength(1);
    expect(calls[0].command).toBe(localCdk);
    expect(calls[0].args).toEqual([
      'deploy',
      'OriginStack',
      '--outputs-file',
      'deploy-outputs.json',
      '--require-approval',
      'never',
      '--progress',
      'events',
    ]);
    expect(calls[0].options).toMatchObject({ cwd: projectDir, stdio: 'inherit', env: { PATH: '/usr/bin' } });
  });

  it('passes the profile as a flag and the region through the environment', async () => {
    const { spawn, calls } = fakeSpawn((child) => child.emit('close', 0, null));
    const runner = createCdkRunner({ projectDir, spawn, fileExists: exists, baseEnv: { AWS_REGION: 'us-east-1', KEEP: '1', DROP: 'x' } });
    await runner.run(cdkDiffArgs({ stacks: ['OriginStack'] }), {
      profile: 'prod',
      region: 'ap-northeast-2',
      env: { CDK_VALIDATION: 'false', DROP: undefined },
    });
    expect(calls[0].args).toEqual(['diff', 'OriginStack', '--profile', 'prod']);
    expect(calls[0].options.env).toEqual({
      AWS_REGION: 'ap-northeast-2',
      AWS_DEFAULT_REGION: 'ap-northeast-2',
      KEEP: '1',
      CDK_VALIDATION: 'false',
    });
  });

  it('streams output to a callback and reports a failing exit code', async () => {
    const { spawn, calls } = fakeSpawn((child) => {
      child.stdout.write('OriginStack: deploying...\n');
      child.stderr.write('❌ OriginStack failed\n');
      child.stdout.end();
      child.stderr.end();
      setImmediate(() => child.emit('close', 1, null));
    });
    const chunks: Array<[string, string]> = [];
    const runner = createCdkRunner({ projectDir, spawn, fileExists: exists, baseEnv: {} });
    const result = await runner.run(cdkDestroyArgs({ stacks: ['OriginStack'] }), {
      output: (chunk, stream) => chunks.push([stream, chunk]),
    });

    expect(result).toEqual({ exitCode: 1 });
    expect(calls[0].options.stdio).toEqual(['ignore', 'pipe', 'pipe']);
    expect(calls[0].args).toEqual(['destroy', 'OriginStack', '--force']);
    expect(chunks).toEqual(
      expect.arrayContaining([
        ['stdout', 'OriginStack: deploying...\n'],
        ['stderr', '❌ OriginStack failed\n'],
      ]),
    );
  });

  it('reports a signal as a non-zero exit', async () => {
    const { spawn } = fakeSpawn((child) => child.emit('close', null, 'SIGINT'));
    const runner = createCdkRunner({ projectDir, spawn, fileExists: exists, baseEnv: {} });
    await expect(runner.run(['diff', 'OriginStack'])).resolves.toEqual({ exitCode: 1, signal: 'SIGINT' });
  });

  it('rejects with a clear message when the process cannot start', async () => {
    const { spawn } = fakeSpawn((child) => child.emit('error', Object.assign(new Error('spawn EACCES'), { code: 'EACCES' })));
    const runner = createCdkRunner({ projectDir, spawn, fileExists: exists, baseEnv: {} });
    await expect(runner.run(['diff', 'OriginStack'])).rejects.toThrow(`Could not start ${localCdk}: EACCES.`);
  });

  it('refuses to fall back to a global cdk when the project has none', async () => {
    const { spawn, calls } = fakeSpawn((child) => child.emit('close', 0, null));
    const runner = createCdkRunner({ projectDir, spawn, fileExists: () => false, baseEnv: {} });
    await expect(runner.run(['diff'])).rejects.toThrow(
      `The project's aws-cdk CLI was not found at ${localCdk}. Run \`npm ci\` in ${projectDir}; a global cdk is not used.`,
    );
    expect(calls).toHaveLength(0);
  });

  it('runs the package entry with node on Windows, where .bin holds .cmd shims', async () => {
    const entry = path.join(projectDir, 'node_modules', 'aws-cdk', 'bin', 'cdk');
    const { spawn, calls } = fakeSpawn((child) => child.emit('close', 0, null));
    const runner = createCdkRunner({ projectDir, spawn, fileExists: (file) => file === entry, baseEnv: {}, platform: 'win32' });
    await runner.run(['diff', 'OriginStack']);
    expect(calls[0].command).toBe(process.execPath);
    expect(calls[0].args).toEqual([entry, 'diff', 'OriginStack']);
  });

  it('rejects a bad region and a profile that would read as a flag', async () => {
    const { spawn, calls } = fakeSpawn((child) => child.emit('close', 0, null));
    const runner = createCdkRunner({ projectDir, spawn, fileExists: exists, baseEnv: {} });
    await expect(runner.run(['diff'], { region: 'Seoul' })).rejects.toThrow(
      'region "Seoul" is not an AWS region name (expected e.g. ap-northeast-2).',
    );
    await expect(runner.run(['diff'], { profile: '--all' })).rejects.toThrow('profile "--all" is not a usable AWS profile name');
    expect(calls).toHaveLength(0);
  });
});

describe('cdk argument builders', () => {
  it('builds deploy arguments with approval, progress and context', () => {
    expect(
      cdkDeployArgs({
        stacks: ['Origin-example', 'Dns-example'],
        outputsFile: 'out.json',
        requireApproval: 'broadening',
        progress: 'bar',
        context: { stage: 'prod' },
      }),
    ).toEqual([
      'deploy',
      'Origin-example',
      'Dns-example',
      '--outputs-file',
      'out.json',
      '--require-approval',
      'broadening',
      '--progress',
      'bar',
      '--context',
      'stage=prod',
    ]);
  });

  it('adds --fail to diff only when asked', () => {
    expect(cdkDiffArgs({ stacks: ['A'], failOnChange: true })).toEqual(['diff', 'A', '--fail']);
    expect(cdkDiffArgs({ stacks: ['A'] })).toEqual(['diff', 'A']);
  });

  it('rejects bad input with the field, the value and what is allowed', () => {
    expect(() => cdkDeployArgs({ stacks: ['A'], outputsFile: 'o.json', requireApproval: 'sometimes' as never })).toThrow(
      'requireApproval "sometimes" is not allowed; use one of: never, broadening, any-change.',
    );
    expect(() => cdkDeployArgs({ stacks: ['A'], outputsFile: ' ', requireApproval: 'never' })).toThrow('outputsFile is empty');
    expect(() => cdkDestroyArgs({ stacks: [] })).toThrow('stacks is empty; name the stacks explicitly (this library never passes --all).');
    expect(() => cdkDiffArgs({ stacks: ['--all'] })).toThrow('stack "--all" is not a valid stack selector');
    expect(() => cdkDiffArgs({ stacks: ['A'], context: { 'bad key': 'x' } })).toThrow('context key "bad key" is not allowed');
  });
});

describe('cdk deploy of a synthesized assembly', () => {
  it('deploys the cloud assembly as is and passes stack parameters', () => {
    expect(
      cdkDeployArgs({
        stacks: ['s3alicdn-example-x-dns'],
        outputsFile: 'o.json',
        requireApproval: 'any-change',
        app: 'cdk.out',
        parameters: [{ stack: 's3alicdn-example-x-dns', name: 'CdnCname', value: 'x.w.kunlunsl.com' }],
      }),
    ).toEqual([
      'deploy',
      's3alicdn-example-x-dns',
      '--outputs-file',
      'o.json',
      '--require-approval',
      'any-change',
      '--progress',
      'events',
      '--app',
      'cdk.out',
      '--parameters',
      's3alicdn-example-x-dns:CdnCname=x.w.kunlunsl.com',
    ]);
  });
});

describe('--ci: stdout carries the JSON summary only', () => {
  // A stand-in for the project's cdk CLI that behaves as the real one does with CI set: messages on stdout.
  const fakeProject = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-runner-'));
  const bin = path.join(fakeProject, 'node_modules', '.bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'cdk'),
    '#!/bin/sh\necho "✨  Synthesis time: 1s"\necho "OriginStack: deploying... [1/1]"\necho "warning on stderr" >&2\n',
    { mode: 0o755 },
  );
  afterAll(() => fs.rmSync(fakeProject, { recursive: true, force: true }));

  /** Runs the runner in a child process, as the CLI would, then prints a summary the way the --ci reporter does. */
  function runAsCli(stdout: 'stdout' | 'stderr'): { stdout: string; stderr: string } {
    const runner = path.join(__dirname, '../../../lib/deploy/aws/cdk-runner.ts');
    const script = [
      `const { createCdkRunner } = require(${JSON.stringify(runner)});`,
      `createCdkRunner({ projectDir: ${JSON.stringify(fakeProject)}, stdout: ${JSON.stringify(stdout)} })`,
      `  .run(['deploy', 'OriginStack'])`,
      `  .then((result) => process.stdout.write(JSON.stringify({ ok: result.exitCode === 0 }, null, 2) + '\\n'));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
      cwd: path.join(__dirname, '../../..'),
    });
    expect(child.status).toBe(0);
    return { stdout: child.stdout, stderr: child.stderr };
  }

  it('sends the cdk child stdout to stderr, so stdout parses as exactly one JSON document', () => {
    const { stdout, stderr } = runAsCli('stderr');
    expect(JSON.parse(stdout)).toEqual({ ok: true });
    expect(stderr).toContain('OriginStack: deploying... [1/1]');
    expect(stderr).toContain('warning on stderr');
  });

  it('without --ci the child writes to stdout as before (and stdout is no longer one JSON document)', () => {
    const { stdout } = runAsCli('stdout');
    expect(stdout).toContain('OriginStack: deploying... [1/1]');
    expect(() => JSON.parse(stdout)).toThrow();
  });
});
