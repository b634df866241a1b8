/**
 * Errors shaped like the ones the AWS SDK v3 throws (a `name`, `$fault`, `$metadata` and, for query-protocol
 * services, the wire `Code`), for aws-sdk-client-mock rejections.
 */
export function awsError(name: string, message = name, httpStatusCode = 400, code?: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode }, ...(code ? { Code: code } : {}) });
}

/** IAM's modeled errors arrive as their SDK class name with the wire code in `Code`. */
export function iamError(code: 'NoSuchEntity' | 'LimitExceeded' | 'DeleteConflict', message: string, httpStatusCode: number): Error {
  return awsError(`${code}Exception`, message, httpStatusCode, code);
}
