/** Workers' two kinds of failure: retried with backoff, or final at once. */
export class RetryableError extends Error {
  override name = 'RetryableError';
}

export class PermanentError extends Error {
  override name = 'PermanentError';
}
