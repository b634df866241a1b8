/**
 * The API-driven rotation steps the deploy command calls, in one import. The flows and their order are described
 * in the modules themselves.
 */
export {
  createNextReaderKey,
  retirePreviousReaderKeys,
  DEFAULT_READER_KEY_GRACE_MS,
  type CreateNextReaderKeyResult,
  type ReaderKeyRetirement,
  type ReaderKeyRotationOptions,
  type RetirePreviousReaderKeysOptions,
  type RetirePreviousReaderKeysResult,
} from './reader-key-rotation';
export { rollbackReaderKey, type RollbackReaderKeyOptions, type RollbackReaderKeyResult } from './reader-key-rollback';
export {
  beginRefererRotation,
  finishRefererRotation,
  ensureRefererSecret,
  DEFAULT_REFERER_SECRET_LENGTH,
  type EnsureRefererSecretAction,
  type EnsureRefererSecretResult,
  type RefererRotationResult,
  type RefererSecretOptions,
} from './referer-secret-rotation';
export { ReaderKeyRotationError, DEACTIVATED_AT_TAG_PREFIX } from './iam-access-keys';
