import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPublishCommand, type PublishCommandDependencies } from '../../lib/cli/publish-command';
import { exampleStageWith } from '../helpers/stage-fixtures';
import { BUCKET, DOMAIN, PublishWorld } from './publish-world';

const world = new PublishWorld();
beforeAll(() => world.start());
afterAll(() => world.close());

function deps(): PublishCommandDependencies & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    s3: () => world.s3,
    cdn: () => world.cdn,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    tty: false,
    stdout,
    stderr,
  };
}

function projectWithOutputs(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-project-'));
  world.dirs.push(dir);
  fs.writeFileSync(
    path.join(dir, 'deploy-outputs.example.json'),
    JSON.stringify({
      stage: 'example',
      updatedAt: '2026-12-01T00:00:00.000Z',
      sites: {
        'test-test-com': {
          domain: DOMAIN,
          aws: { stackName: 'o', outputs: { BucketName: BUCKET, BucketRegion: 'ap-northeast-2' } },
          ros: {
            stackName: 'c',
            stackId: 'id',
            regionId: 'ap-southeast-1',
            outputs: { CdnDomain: DOMAIN, CdnCname: `${DOMAIN}.w.kunlunsl.com` },
          },
        },
      },
    }),
  );
  return dir;
}

describe('publish command', () => {
  it('prints a JSON summary with --ci and exits 0', async () => {
    const io = deps();
    const code = await runPublishCommand(
      exampleStageWith(),
      { dir: world.folder({ 'index.html': 'hi' }), ci: true },
      io,
      projectWithOutputs(),
    );
    expect(code).toBe(0);
    const summary = JSON.parse(io.stdout.join(''));
    expect(summary).toMatchObject({
      ok: true,
      site: 'test-test-com',
      bucket: BUCKET,
      files: { total: 1, uploaded: 1 },
      refresh: { urls: 2 },
    });
  });

  it('names each bad input and exits 2 or 1', async () => {
    const project = projectWithOutputs();
    const noDir = deps();
    expect(await runPublishCommand(exampleStageWith(), {}, noDir, project)).toBe(2);
    expect(noDir.stderr).toEqual(['--dir is required: the built folder to publish, e.g. --dir dist']);

    const missing = deps();
    expect(await runPublishCommand(exampleStageWith(), { dir: '/no/such/dist', ci: true }, missing, project)).toBe(2);
    expect(JSON.parse(missing.stdout.join(''))).toMatchObject({
      ok: false,
      error: { code: 'USAGE', message: expect.stringContaining('--dir "/no/such/dist": no such folder') },
    });

    const notDeployed = deps();
    expect(await runPublishCommand(exampleStageWith(), { dir: world.folder({ 'a.txt': 'x' }) }, notDeployed, os.tmpdir())).toBe(1);
    expect(notDeployed.stderr[0]).toMatch(/the site has no deployed stack to publish to/);

    const badConcurrency = deps();
    expect(
      await runPublishCommand(exampleStageWith(), { dir: world.folder({ 'a.txt': 'x' }), concurrency: '0' }, badConcurrency, project),
    ).toBe(2);
    expect(badConcurrency.stderr).toEqual(['--concurrency: "0" is not allowed; give a whole number from 1 to 256']);
  });

  it('warns about a glob that matches nothing', async () => {
    const io = deps();
    const stage = exampleStageWith((site) => {
      site.publish = { cacheControl: [{ match: 'asets/**', value: 'max-age=60' }] };
    });
    expect(await runPublishCommand(stage, { dir: world.folder({ 'index.html': 'x' }) }, io, projectWithOutputs())).toBe(0);
    expect(io.stderr).toContain('warning: publish.cacheControl[0]: the glob "asets/**" matches no file in the folder');
  });
});
