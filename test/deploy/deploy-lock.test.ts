import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireDeployLock, DeployLockedError, lockFileFor } from '../../lib/deploy/deploy-lock';

describe('deploy lock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-lock-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a second deploy of the same stage is refused with who holds it and how to go on', () => {
    const lock = acquireDeployLock('example', 'deploy', dir);
    try {
      expect(() => acquireDeployLock('example', 'deploy', dir)).toThrow(DeployLockedError);
      expect(() => acquireDeployLock('example', 'deploy', dir)).toThrow(
        new RegExp(
          `Another deploy of stage "example" is running \\(pid ${process.pid} on .*\\)\\. Wait for it to finish\\. If it is gone, delete .*\\.deploy-lock-example\\.json and re-run\\.`,
        ),
      );
    } finally {
      lock.release();
    }
    expect(fs.existsSync(lockFileFor('example', dir))).toBe(false);
  });

  test('other stages are independent', () => {
    const a = acquireDeployLock('a', 'deploy', dir);
    const b = acquireDeployLock('b', 'deploy', dir);
    a.release();
    b.release();
  });

  test('a lock left by a process that is gone is taken over', () => {
    fs.writeFileSync(
      lockFileFor('example', dir),
      JSON.stringify({ stage: 'example', pid: 999999, host: os.hostname(), command: 'deploy', startedAt: 'x' }),
    );
    const lock = acquireDeployLock('example', 'deploy', dir, () => false);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  test('a lock from another host is never taken over automatically', () => {
    fs.writeFileSync(
      lockFileFor('example', dir),
      JSON.stringify({ stage: 'example', pid: 1, host: 'ci-runner-7', command: 'deploy', startedAt: 'x' }),
    );
    expect(() => acquireDeployLock('example', 'deploy', dir, () => false)).toThrow('(pid 1 on ci-runner-7, started x)');
    fs.rmSync(lockFileFor('example', dir));
  });
});
