import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PEAK_RSS_PRELOAD = path.join(__dirname, 'record-peak-rss.cjs');

export interface Measurement {
  readonly wallMs: number;
  /** Peak resident set size of the largest Node.js process the command started (MB). */
  readonly peakRssMb: number;
}

export interface CommandSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a command to completion and measures it from the outside: wall time, and the peak memory of the largest
 * Node.js process in its tree (each one records its own peak at exit through a preloaded module). A command that
 * fails is an error: a benchmark of a broken run measures nothing.
 */
export function measure(spec: CommandSpec): Measurement {
  const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), 's3alicdn-bench-rss-'));
  try {
    const nodeOptions = [process.env.NODE_OPTIONS, `--require ${PEAK_RSS_PRELOAD}`].filter(Boolean).join(' ');
    const started = process.hrtime.bigint();
    const result = spawnSync(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env, NODE_OPTIONS: nodeOptions, S3ALICDN_BENCH_RSS_DIR: rssDir },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.error) throw new Error(`${describe(spec)} could not start: ${result.error.message}`);
    if (result.status !== 0) {
      const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(`${describe(spec)} exited ${result.status ?? result.signal} in ${spec.cwd}:\n${tail}`);
    }
    const peaksKb = fs
      .readdirSync(rssDir)
      .map((name) => (JSON.parse(fs.readFileSync(path.join(rssDir, name), 'utf8')) as { peakKb: number }).peakKb);
    return { wallMs, peakRssMb: peaksKb.length > 0 ? Math.max(...peaksKb) / 1024 : Number.NaN };
  } finally {
    fs.rmSync(rssDir, { recursive: true, force: true });
  }
}

export function describe(spec: CommandSpec): string {
  return [spec.command, ...spec.args].join(' ');
}

export interface Summary {
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly medianPeakRssMb: number;
  readonly maxPeakRssMb: number;
}

export function summarize(measurements: readonly Measurement[]): Summary {
  const walls = measurements.map((measurement) => measurement.wallMs);
  const peaks = measurements.map((measurement) => measurement.peakRssMb);
  return {
    runs: measurements.length,
    medianMs: median(walls),
    minMs: Math.min(...walls),
    maxMs: Math.max(...walls),
    medianPeakRssMb: median(peaks),
    maxPeakRssMb: Math.max(...peaks),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
