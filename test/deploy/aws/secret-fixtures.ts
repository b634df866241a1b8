/**
 * Values shaped like real secrets for tests. The key pair is the documented AWS example pair; the referer values
 * are made up here. None of them grants anything.
 */
export const EXAMPLE_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const EXAMPLE_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const NEXT_ACCESS_KEY_ID = 'AKIAI44QH8DHBEXAMPLE';
export const NEXT_SECRET_ACCESS_KEY = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
export const REFERER_A = 'RefererSecretValueA0123456789abcdefghijklmnopqrstu';
export const REFERER_B = 'RefererSecretValueB9876543210zyxwvutsrqponmlkjihgf';

export function readerSecretJson(accessKeyId = EXAMPLE_ACCESS_KEY_ID, secretAccessKey = EXAMPLE_SECRET_ACCESS_KEY): string {
  return JSON.stringify({ accessKeyId, secretAccessKey });
}

export function refererSecretJson(current: string, previous: string = current): string {
  return JSON.stringify({ current, previous });
}
