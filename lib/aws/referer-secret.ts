// Moved to lib/origin-access/referer-secret.ts; kept until lib/deploy imports it from there.
export { refererSecretVersionContextKey } from '../origin-access/referer-secret';
