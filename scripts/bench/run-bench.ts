// `npm run bench`: synth and test timings of this project against the `cdk init` toolchain, measured in one run on
// this machine. Prints a table and writes the same figures as JSON. See docs/performance.md for what the rows mean.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { APP_CONTEXT } from '../../lib/aws/aws-app';
import { type CommandSpec, describe, type Measurement, measure, type Summary, summarize } from './measure';
import { benchPublish, publishFigures, type PublishRow } from './publish-bench';
import { baselineWorkspace, PROJECT_DIR, removeWorkspace, synthWorkspace } from './workspaces';

/** The targets of the speed issue, checked against the measured medians. */
export const TARGETS = {
  synthToPlainJsRatio: 1.5,
  msPerFurtherSite: 40,
  peakRssMbAt50Sites: 500,
  testWallMs: 20_000,
} as const;

const PARTS = ['baseline', 'synth', 'test', 'publish'] as const;
type Part = (typeof PARTS)[number];

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw new InvalidArgumentError(`${name} must be a whole number from 1 to 50, got "${value}"`);
  return n;
};

const program = new Command()
  .name('bench')
  .description('Median and min-max of repeated runs: npm run synth for several site counts, npm test, and the cdk init baseline.')
  .addOption(new Option('--runs <n>', 'timed runs of each synth and baseline command').argParser(positiveInt('--runs')).default(5))
  .addOption(new Option('--test-runs <n>', 'timed runs of the cold npm test').argParser(positiveInt('--test-runs')).default(3))
  .addOption(
    new Option('--sites <list>', 'site counts to synthesize, comma-separated; must include 1')
      .argParser((value) => {
        const counts = value.split(',').map((part) => Number(part.trim()));
        if (counts.some((count) => !Number.isInteger(count) || count < 1 || count > 200) || !counts.includes(1)) {
          throw new InvalidArgumentError(`--sites takes whole numbers from 1 to 200 including 1, got "${value}"`);
        }
        return [...new Set(counts)].sort((left, right) => left - right);
      })
      .default([1, 10, 50], '1,10,50'),
  )
  .addOption(new Option('--only <parts...>', 'measure only these parts').choices(PARTS))
  .option('--json <file>', 'where to write the results as JSON', 'bench-results.json')
  .action((options: { runs: number; testRuns: number; sites: number[]; only?: Part[]; json: string }) => run(options));

interface Row {
  readonly key: string;
  readonly label: string;
  readonly command: string;
  readonly summary: Summary;
}

async function run(options: { runs: number; testRuns: number; sites: number[]; only?: Part[]; json: string }): Promise<void> {
  const parts = new Set<Part>(options.only ?? PARTS);
  const rows: Row[] = [];
  const workspaces: string[] = [];
  try {
    // Commands that are compared with each other are timed in rounds, one run of each per round, so a slow spell of
    // this noisy machine hits them alike instead of whichever happened to be running.
    const compared: Array<{ key: string; label: string; spec: CommandSpec }> = [];
    if (parts.has('baseline')) {
      const dir = baselineWorkspace();
      workspaces.push(dir);
      const env = { CDK_OUTDIR: path.join(dir, 'cdk.out'), CDK_CONTEXT_JSON: JSON.stringify(APP_CONTEXT) };
      compared.push({
        key: 'baselineTsNode',
        label: 'baseline: one bucket, `cdk init` toolchain (ts-node type-checks)',
        spec: {
          command: path.join(PROJECT_DIR, 'node_modules/.bin/ts-node'),
          args: ['--prefer-ts-exts', 'bin/baseline.ts'],
          cwd: dir,
          env,
        },
      });
      compared.push({
        key: 'baselinePlainJs',
        label: 'baseline: the same app as plain JS, same validation',
        spec: { command: process.execPath, args: ['js/bin/baseline.js'], cwd: dir, env },
      });
    }
    if (parts.has('synth')) {
      for (const sites of options.sites) {
        const dir = synthWorkspace(sites);
        workspaces.push(dir);
        compared.push({
          key: `synth${sites}`,
          label: `npm run synth, ${sites} site${sites === 1 ? '' : 's'}, both apps, all checks`,
          spec: { command: 'npm', args: ['run', '--silent', 'synth', '--', '--quiet'], cwd: dir },
        });
      }
    }
    if (compared.length > 0) {
      log(`warm-up: one untimed run of each of ${compared.length} commands`);
      for (const { spec } of compared) measure(spec);
      const results = new Map<string, Measurement[]>(compared.map(({ key }) => [key, []]));
      for (let round = 1; round <= options.runs; round++) {
        log(`round ${round}/${options.runs}`);
        for (const { key, spec } of compared) results.get(key)!.push(measure(spec));
      }
      for (const { key, label, spec } of compared)
        rows.push({ key, label, command: describe(spec), summary: summarize(results.get(key)!) });
    }
    if (parts.has('test')) {
      const spec: CommandSpec = { command: 'npm', args: ['test', '--silent'], cwd: PROJECT_DIR };
      const measurements: Measurement[] = [];
      for (let i = 1; i <= options.testRuns; i++) {
        log(`npm test ${i}/${options.testRuns} (jest cache cleared first)`);
        clearTestCaches();
        measurements.push(measure(spec));
      }
      rows.push({
        key: 'test',
        label: 'npm test, cold (type-check and the whole suite)',
        command: describe(spec),
        summary: summarize(measurements),
      });
    }
    if (parts.has('publish')) rows.push(...(await benchPublish({ runs: Math.min(options.runs, 3), log })));
  } finally {
    for (const dir of workspaces) removeWorkspace(dir);
  }

  const derived = deriveFigures(rows);
  derived.ratios.push(
    ...publishFigures(rows.filter((row): row is PublishRow => row.key.startsWith('publish') || row.key.startsWith('sync'))),
  );
  const report = { machine: machine(), date: new Date().toISOString(), runs: options.runs, testRuns: options.testRuns, rows, derived };
  fs.writeFileSync(path.resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
  console.log(renderTable(rows));
  console.log('');
  console.log(renderDerived(derived));
  console.log('');
  console.log(`Machine: ${report.machine.description}. Results written to ${options.json}.`);
}

interface Derived {
  readonly ratios: Array<{ readonly what: string; readonly value: number; readonly target?: string; readonly met?: boolean }>;
}

export function deriveFigures(rows: readonly Row[]): Derived {
  const byKey = new Map(rows.map((row) => [row.key, row.summary]));
  const ratios: Derived['ratios'] = [];
  const plainJs = byKey.get('baselinePlainJs');
  const tsNode = byKey.get('baselineTsNode');
  const one = byKey.get('synth1');
  if (one && plainJs) {
    const value = one.medianMs / plainJs.medianMs;
    ratios.push({
      what: 'npm run synth (1 site) ÷ plain-JS baseline',
      value,
      target: `≤ ${TARGETS.synthToPlainJsRatio}×`,
      met: value <= TARGETS.synthToPlainJsRatio,
    });
  }
  if (one && tsNode) ratios.push({ what: 'cdk init (ts-node) baseline ÷ npm run synth (1 site)', value: tsNode.medianMs / one.medianMs });
  const siteCounts = [...byKey.keys()].filter((key) => /^synth\d+$/.test(key)).map((key) => Number(key.slice('synth'.length)));
  for (const sites of siteCounts.filter((siteCount) => siteCount > 1)) {
    const many = byKey.get(`synth${sites}`)!;
    if (!one) break;
    const value = (many.medianMs - one.medianMs) / (sites - 1);
    ratios.push({
      what: `ms per further site (1 → ${sites} sites)`,
      value,
      target: `≤ ${TARGETS.msPerFurtherSite} ms`,
      met: value <= TARGETS.msPerFurtherSite,
    });
  }
  const fifty = byKey.get('synth50');
  if (fifty) {
    ratios.push({
      what: 'peak memory of synth, 50 sites (MB, worst run)',
      value: fifty.maxPeakRssMb,
      target: `≤ ${TARGETS.peakRssMbAt50Sites} MB`,
      met: fifty.maxPeakRssMb <= TARGETS.peakRssMbAt50Sites,
    });
  }
  const test = byKey.get('test');
  if (test)
    ratios.push({
      what: 'cold npm test (s, median)',
      value: test.medianMs / 1000,
      target: `≤ ${TARGETS.testWallMs / 1000} s`,
      met: test.medianMs <= TARGETS.testWallMs,
    });
  return { ratios };
}

function renderTable(rows: readonly Row[]): string {
  const lines = ['| What | Runs | Median | Min–max | Peak memory (median) |', '| --- | --- | --- | --- | --- |'];
  for (const { label, summary } of rows) {
    lines.push(
      `| ${label} | ${summary.runs} | ${seconds(summary.medianMs)} | ${seconds(summary.minMs)}–${seconds(summary.maxMs)} | ${summary.medianPeakRssMb.toFixed(0)} MB |`,
    );
  }
  return lines.join('\n');
}

function renderDerived(derived: Derived): string {
  const lines = ['| Figure | Value | Target |', '| --- | --- | --- |'];
  for (const { what, value, target, met } of derived.ratios) {
    lines.push(`| ${what} | ${value.toFixed(value < 10 ? 2 : 0)} | ${target ? `${target} ${met ? '✓ met' : '✗ missed'}` : '—'} |`);
  }
  return lines.join('\n');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Cold as in a fresh clone: jest's transform cache and the lint caches (ESLint, Prettier, dependency-cruiser keep
 * theirs under node_modules/.cache) are all gone, so the figure is what CI pays, not the warm many-times-a-day loop.
 */
function clearTestCaches(): void {
  const result = spawnSync(path.join(PROJECT_DIR, 'node_modules/.bin/jest'), ['--clearCache'], { cwd: PROJECT_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`jest --clearCache failed: ${result.stderr}`);
  fs.rmSync(path.join(PROJECT_DIR, 'node_modules/.cache'), { recursive: true, force: true });
}

function machine() {
  const cpus = os.cpus();
  const description = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node.js ${process.version}`;
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim(),
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    description,
  };
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

if (require.main === module) {
  program.parseAsync(process.argv).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
