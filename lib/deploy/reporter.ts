/**
 * Progress output for the long-running commands. Humans get one line per step and per stack event, as `cdk deploy`
 * prints them; with `--ci` the same lines go to stderr and a machine-readable JSON summary is the only thing on stdout.
 */
export interface Reporter {
  step(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  /** One stack event line, already formatted. */
  event(line: string): void;
  /** Emits the final summary: JSON on stdout with --ci, a short text otherwise. */
  summary(summary: object, text: string): void;
}

export interface ReporterStreams {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processStreams: ReporterStreams = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function createReporter(options: { ci: boolean; streams?: ReporterStreams }): Reporter {
  const streams = options.streams ?? processStreams;
  const human = options.ci ? streams.err : streams.out;
  return {
    step: (message) => human(`\n▶ ${message}\n`),
    info: (message) => human(`  ${message}\n`),
    warn: (message) => streams.err(`  ⚠ ${message}\n`),
    event: (line) => human(`  ${line}\n`),
    summary: (summary, text) => {
      if (options.ci) streams.out(`${JSON.stringify(summary, null, 2)}\n`);
      else streams.out(`\n${text}\n`);
    },
  };
}

/** A reporter that records lines, for tests. */
export function recordingReporter(): Reporter & { lines: string[]; summaries: object[] } {
  const lines: string[] = [];
  const summaries: object[] = [];
  return {
    lines,
    summaries,
    step: (message) => void lines.push(`step: ${message}`),
    info: (message) => void lines.push(`info: ${message}`),
    warn: (message) => void lines.push(`warn: ${message}`),
    event: (line) => void lines.push(`event: ${line}`),
    summary: (summary, text) => {
      summaries.push(summary);
      lines.push(`summary: ${text}`);
    },
  };
}
