/**
 * Errors shaped like the ones the AWS SDK v3 throws (a `name`, `$fault` and `$metadata`), for aws-sdk-client-mock
 * rejections. Service exception classes would tie each test to one client package; the code under test matches by name.
 */
export function awsError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode } });
}
