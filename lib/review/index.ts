/** Public surface of the pull-request review. */
export { runReview } from './run-review';
export type { RunReviewOptions } from './run-review';
export { npmSynth, synthCommandLine } from './synth-runner';
export type { SynthFunction, SynthRequest } from './synth-runner';
export { diffOutputSets, diffStackSets } from './diff-output-sets';
export { renderReviewFailure, renderReviewMarkdown, REVIEW_FAILED_HEADING, REVIEW_MARKER } from './review-markdown';
export { ReviewError } from './review-error';
export * from './review-model';
