// Moved to lib/origin-access/secret-names.ts; kept until lib/deploy imports it from there.
export { secretNamesFor } from '../origin-access/secret-names';
