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
    step: (m) => void lines.push(`step: ${m}`),
    info: (m) => void lines.push(`info: ${m}`),
    warn: (m) => void lines.push(`warn: ${m}`),
    event: (m) => void lines.push(`event: ${m}`),
    summary: (s, t) => {
      summaries.push(s);
      lines.push(`summary: ${t}`);
    },
  };
}
