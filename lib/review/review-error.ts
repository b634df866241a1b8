import { S3AlicdnError } from '../errors';

/** An error the review reports to the user as-is (no stack trace needed to understand it). */
export class ReviewError extends S3AlicdnError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('REVIEW_FAILED', message, options);
  }
}
