// The publish section of `npm run bench`: `npm run publish` against `aws s3 sync`, side by side in one run, each
// against its own instance of the same local S3 server (test/doubles/s3-double.ts), so neither sees the other's
// objects. Figures: first upload of 2,000 small files; a re-publish of 10,000 unchanged files from a fresh copy (new
// modification times); peak memory while publishing one 1 GB file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measure, summarize, type CommandSpec, type Measurement, type Summary } from './measure';
import { PROJECT_DIR } from './workspaces';

export const PUBLISH_TARGETS = { firstUploadSpeedup: 2, peakRssMbOneGigabyte: 200 } as const;

const BUCKET = 'bench-site';
/** What `npm run publish` runs (package.json): the CLI compiled to JavaScript by bin/cli.cjs. */
const CLI = path.join(PROJECT_DIR, 'bin/cli.cjs');
const DOMAIN = 'bench.example.com';

export interface PublishRow {
  readonly key: string;
  readonly label: string;
  readonly command: string;
  readonly summary: Summary;
  /** From publish's --ci summary of the last run, where it says what was uploaded and refreshed. */
  readonly detail?: { readonly bytesUploaded: number; readonly refreshedUrls: number; readonly uploaded: number };
}

interface Doubles {
  readonly process: ChildProcess;
  readonly s3: string;
  readonly cdn: string;
}

async function startDoubles(): Promise<Doubles> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'publish-doubles.ts'), BUCKET, DOMAIN], {
    cwd: PROJECT_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(text.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`the test doubles exited (${code}) before starting`)));
  });
  const endpoints = JSON.parse(line) as { s3: string; cdn: string };
  return { process: child, ...endpoints };
}

async function stopDoubles(doubles: Doubles): Promise<void> {
  const exited = new Promise((resolve) => doubles.process.once('exit', resolve));
  doubles.process.kill('SIGTERM');
  await exited;
}

/** A project folder with a one-site stage "bench" and the outputs a deploy would have written. */
function benchProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-bench-publish-'));
  const example = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'config/example.json'), 'utf8'));
  const site = {
    ...example.sites[0],
    domain: DOMAIN,
    dns: { zone: 'example.com' },
    bucket: { name: BUCKET, region: 'ap-northeast-2' },
    cache: { byFileType: [], byPath: [] },
  };
  fs.mkdirSync(path.join(dir, 'config'));
  fs.writeFileSync(path.join(dir, 'config/bench.json'), JSON.stringify({ ...example, sites: [site] }));
  const id = DOMAIN.replace(/\./g, '-');
  fs.writeFileSync(
    path.join(dir, 'deploy-outputs.bench.json'),
    JSON.stringify({
      stage: 'bench',
      updatedAt: new Date().toISOString(),
      sites: {
        [id]: {
          domain: DOMAIN,
          aws: { stackName: 'o', outputs: { BucketName: BUCKET, BucketRegion: 'ap-northeast-2' } },
          ros: { stackName: 'c', stackId: 'c', regionId: 'ap-southeast-1', outputs: { CdnDomain: DOMAIN } },
        },
      },
    }),
  );
  return dir;
}

/** `count` files of 0.5-20 KB in a few folders, deterministic content. */
function smallFiles(root: string, count: number): string {
  const dir = path.join(root, `site-${count}`);
  for (let index = 0; index < count; index++) {
    const folder = path.join(dir, `section-${index % 20}`);
    fs.mkdirSync(folder, { recursive: true });
    const size = 512 + ((index * 7919) % (20 * 1024 - 512));
    const extension = ['html', 'js', 'css', 'svg', 'json'][index % 5];
    fs.writeFileSync(path.join(folder, `file-${index}.${extension}`), Buffer.alloc(size, `content ${index} `));
  }
  return dir;
}

function freshCopy(source: string): string {
  const target = `${source}-copy-${Date.now()}`;
  // cp without -p: every file gets a new modification time, as in a fresh CI checkout.
  const result = spawnSync('cp', ['-r', source, target]);
  if (result.status !== 0) throw new Error(`cp -r ${source} failed: ${result.stderr}`);
  return target;
}

const env = (doubles: Doubles) => ({
  S3ALICDN_S3_ENDPOINT: doubles.s3,
  S3ALICDN_CDN_ENDPOINT: doubles.cdn.replace(/^http:\/\//, ''),
  S3ALICDN_ALIBABA_PROTOCOL: 'HTTP',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_REGION: 'ap-northeast-2',
  AWS_DEFAULT_REGION: 'ap-northeast-2',
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-bench',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'bench-secret',
});

const publishSpec = (project: string, dir: string, doubles: Doubles): CommandSpec => ({
  command: process.execPath,
  args: [CLI, 'publish', '--stage', 'bench', '--dir', dir, '--ci'],
  cwd: project,
  env: env(doubles),
});

const syncSpec = (project: string, dir: string, doubles: Doubles): CommandSpec => ({
  command: 'aws',
  args: ['s3', 'sync', dir, `s3://${BUCKET}`, '--endpoint-url', doubles.s3, '--only-show-errors'],
  cwd: project,
  env: env(doubles),
});

/** Runs publish once more (untimed) to read what it did from its JSON summary. */
function publishDetail(spec: CommandSpec): PublishRow['detail'] {
  const result = spawnSync(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const summary = JSON.parse(result.stdout) as { bytesUploaded: number; refresh: { urls: number }; files: { uploaded: number } };
  return { bytesUploaded: summary.bytesUploaded, refreshedUrls: summary.refresh.urls, uploaded: summary.files.uploaded };
}

export async function benchPublish(options: { runs: number; log: (message: string) => void }): Promise<PublishRow[]> {
  const project = benchProject();
  const rows: PublishRow[] = [];
  try {
    const small = smallFiles(project, 2000);
    // bin/cli.cjs compiles the sources once after each change (or in a fresh clone); that is not what is timed here.
    options.log('publish: compiling the CLI (untimed; once per change of the sources)');
    const warmUp = spawnSync(process.execPath, [CLI, 'publish', '--help'], { cwd: project, encoding: 'utf8' });
    if (warmUp.status !== 0) throw new Error(`${CLI} publish --help exited ${warmUp.status}: ${warmUp.stderr}`);
    // First upload: a fresh pair of servers per round, so every run uploads into an empty bucket.
    const first: Record<'publish' | 'sync', Measurement[]> = { publish: [], sync: [] };
    for (let round = 1; round <= options.runs; round++) {
      options.log(`publish: first upload of 2,000 files, round ${round}/${options.runs}`);
      for (const tool of ['publish', 'sync'] as const) {
        const doubles = await startDoubles();
        try {
          first[tool].push(measure(tool === 'publish' ? publishSpec(project, small, doubles) : syncSpec(project, small, doubles)));
        } finally {
          await stopDoubles(doubles);
        }
      }
    }
    rows.push({
      key: 'publishFirst2000',
      label: 'npm run publish, first upload, 2,000 files of 0.5-20 KB',
      command: 'npm run publish -- --dir <2,000 files>',
      summary: summarize(first.publish),
    });
    rows.push({
      key: 'syncFirst2000',
      label: 'aws s3 sync, first upload, the same 2,000 files',
      command: 'aws s3 sync <2,000 files> s3://bucket',
      summary: summarize(first.sync),
    });

    options.log('publish: seeding 10,000 files with each tool');
    const large = smallFiles(project, 10_000);
    const publishDoubles = await startDoubles();
    const syncDoubles = await startDoubles();
    try {
      measure(publishSpec(project, large, publishDoubles));
      measure(syncSpec(project, large, syncDoubles));
      const again: Record<'publish' | 'sync', Measurement[]> = { publish: [], sync: [] };
      let detail: PublishRow['detail'];
      for (let round = 1; round <= options.runs; round++) {
        options.log(`publish: re-publish of 10,000 unchanged files from a fresh copy, round ${round}/${options.runs}`);
        const copy = freshCopy(large);
        again.publish.push(measure(publishSpec(project, copy, publishDoubles)));
        detail = publishDetail(publishSpec(project, copy, publishDoubles));
        again.sync.push(measure(syncSpec(project, copy, syncDoubles)));
        fs.rmSync(copy, { recursive: true, force: true });
      }
      rows.push({
        key: 'publishAgain10000',
        label: 'npm run publish, 10,000 unchanged files, fresh copy',
        command: 'npm run publish -- --dir <fresh copy>',
        summary: summarize(again.publish),
        detail,
      });
      rows.push({
        key: 'syncAgain10000',
        label: 'aws s3 sync, the same fresh copy (re-uploads: new mtimes)',
        command: 'aws s3 sync <fresh copy> s3://bucket',
        summary: summarize(again.sync),
      });
    } finally {
      await stopDoubles(publishDoubles);
      await stopDoubles(syncDoubles);
    }

    options.log('publish: one 1 GB file');
    const bigDir = path.join(project, 'big');
    fs.mkdirSync(bigDir);
    const handle = fs.openSync(path.join(bigDir, 'video.bin'), 'w');
    const block = Buffer.alloc(16 * 1024 * 1024);
    for (let written = 0; written < 1024; written += 16) {
      block.fill(written % 251);
      fs.writeSync(handle, block);
    }
    fs.closeSync(handle);
    const bigDoubles = await startDoubles();
    try {
      rows.push({
        key: 'publishOneGigabyte',
        label: 'npm run publish, one 1 GB file (multipart, streamed)',
        command: 'npm run publish -- --dir <1 GB file>',
        summary: summarize([measure(publishSpec(project, bigDir, bigDoubles))]),
      });
    } finally {
      await stopDoubles(bigDoubles);
    }
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
  return rows;
}

export function publishFigures(rows: readonly PublishRow[]): Array<{ what: string; value: number; target?: string; met?: boolean }> {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const figures: Array<{ what: string; value: number; target?: string; met?: boolean }> = [];
  const publishFirst = byKey.get('publishFirst2000');
  const syncFirst = byKey.get('syncFirst2000');
  if (publishFirst && syncFirst) {
    const value = syncFirst.summary.medianMs / publishFirst.summary.medianMs;
    figures.push({
      what: 'first upload, 2,000 files: aws s3 sync ÷ publish',
      value,
      target: `≥ ${PUBLISH_TARGETS.firstUploadSpeedup}×`,
      met: value >= PUBLISH_TARGETS.firstUploadSpeedup,
    });
  }
  const publishAgain = byKey.get('publishAgain10000');
  const syncAgain = byKey.get('syncAgain10000');
  if (publishAgain && syncAgain) {
    const value = syncAgain.summary.medianMs / publishAgain.summary.medianMs;
    figures.push({ what: 'unchanged 10,000 files, fresh copy: aws s3 sync ÷ publish', value, target: '≥ 1×', met: value >= 1 });
    if (publishAgain.detail) {
      figures.push({
        what: 'unchanged re-publish: bytes uploaded',
        value: publishAgain.detail.bytesUploaded,
        target: '= 0',
        met: publishAgain.detail.bytesUploaded === 0,
      });
      figures.push({
        what: 'unchanged re-publish: URLs refreshed',
        value: publishAgain.detail.refreshedUrls,
        target: '= 0',
        met: publishAgain.detail.refreshedUrls === 0,
      });
    }
  }
  const big = byKey.get('publishOneGigabyte');
  if (big)
    figures.push({
      what: 'peak memory publishing a 1 GB file (MB)',
      value: big.summary.maxPeakRssMb,
      target: `< ${PUBLISH_TARGETS.peakRssMbOneGigabyte} MB`,
      met: big.summary.maxPeakRssMb < PUBLISH_TARGETS.peakRssMbOneGigabyte,
    });
  return figures;
}
