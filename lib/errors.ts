/**
 * The project's one error hierarchy. Every error a command reports to the user on purpose is an `S3AlicdnError` with
 * a code; the code decides the process exit status in one place (`exitCodeFor`), so `synth`, the CDK app entries and
 * every CLI command agree on what "exit 2" means.
 *
 * This module sits below every layer (config included) and imports nothing of the project.
 */

/** What kind of failure this is. Stable strings: they appear in `--ci` JSON summaries. */
export type ErrorCode =
  /** A configuration file or value is invalid (the message names the field, the value and what is allowed). */
  | 'CONFIG_INVALID'
  /** A command-line flag, environment variable or argument is invalid. */
  | 'USAGE'
  /** A check before any change failed (credentials, account settings, a missing zone or certificate). */
  | 'PREFLIGHT_FAILED'
  /** Another run holds the stage's lock. */
  | 'LOCKED'
  /** The user declined, or nobody was there to confirm. Nothing was changed by the declined step. */
  | 'NOT_CONFIRMED'
  /** Synthesis or a synth-time check (limits, rule packs) failed; nothing was written. */
  | 'SYNTH_FAILED'
  /** A deploy, destroy or rotation step failed; the message says what state it left and how to go on. */
  | 'DEPLOY_FAILED'
  /** A cloud API answered with an error the engine does not handle (after its retries). */
  | 'CLOUD_API'
  /** A file the tool reads (outputs file, template, manifest) is missing or malformed. */
  | 'BAD_FILE'
  /** The review could not be produced. */
  | 'REVIEW_FAILED'
  /** `verify` found the deployed site not behaving as configured. */
  | 'VERIFY_FAILED'
  /**
   * Nothing failed, but Alibaba has not finished reviewing a new CDN domain: what could be deployed is, and running the
   * same deploy again after the review finishes the rest.
   */
  | 'AWAITING_REVIEW';

/**
 * Exit status by code. 2 means "you asked for something invalid; nothing was attempted"; 1 means "it was attempted
 * and failed" (or a check found a problem); 3 means "not finished yet, through no fault here: run it again later"
 * (Alibaba's review of a new CDN domain). Anything that is not an `S3AlicdnError` is a bug or an unexpected failure and
 * exits 1 too.
 */
export type ExitStatus = 1 | 2 | 3;

const EXIT_STATUS: Readonly<Record<ErrorCode, ExitStatus>> = {
  CONFIG_INVALID: 2,
  USAGE: 2,
  PREFLIGHT_FAILED: 1,
  LOCKED: 1,
  NOT_CONFIRMED: 1,
  SYNTH_FAILED: 1,
  DEPLOY_FAILED: 1,
  CLOUD_API: 1,
  BAD_FILE: 1,
  REVIEW_FAILED: 1,
  VERIFY_FAILED: 1,
  AWAITING_REVIEW: 3,
};

export class S3AlicdnError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isS3AlicdnError(error: unknown): error is S3AlicdnError {
  return error instanceof S3AlicdnError;
}

/** The process exit status for an error that ends a command. */
export function exitCodeFor(error: unknown): ExitStatus {
  return isS3AlicdnError(error) ? EXIT_STATUS[error.code] : 1;
}

/** The exit status of a command that failed with this code (for commands that report rather than throw). */
export function exitCodeOf(code: ErrorCode): ExitStatus {
  return EXIT_STATUS[code];
}

/** The text to show a user: our own errors are written for them; anything else gets its message. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
