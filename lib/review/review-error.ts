/** An error the review reports to the user as-is (no stack trace needed to understand it). */
export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}
