import { CreateAccessKeyCommand, DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  createNextReaderKey,
  DEACTIVATED_AT_TAG_PREFIX,
  retirePreviousReaderKeys,
  rollbackReaderKey,
  type ReaderKeyRotationOptions,
} from '../../../lib/deploy/aws/reader-key';
import { awsError, iamError } from '../../doubles/aws-error-doubles';
import { IamDouble, SecretsManagerDouble } from '../../doubles/iam-secrets-test-doubles';
import {
  EXAMPLE_ACCESS_KEY_ID as KEY_A,
  EXAMPLE_SECRET_ACCESS_KEY as SECRET_A,
  NEXT_ACCESS_KEY_ID as KEY_B,
  NEXT_SECRET_ACCESS_KEY as SECRET_B,
  readerSecretJson,
} from './secret-fixtures';

const userName = 'origin-reader';
const HOUR = 60 * 60 * 1000;

let iam: IamDouble;
let sm: SecretsManagerDouble;

function setup(secretValue?: string): ReaderKeyRotationOptions {
  iam = new IamDouble(userName);
  sm = new SecretsManagerDouble();
  const secretId = sm.addSecret('origin-reader-key', secretValue);
  return { iam: iam.client, secretsManager: sm.client, userName, secretId };
}

function storedKeyId(secretId: string, stage = 'AWSCURRENT'): string | undefined {
  const value = sm.value(secretId, stage);
  return value ? (JSON.parse(value) as { accessKeyId: string }).accessKeyId : undefined;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('createNextReaderKey', () => {
  it('creates the first key into a secret the stack created without a value', async () => {
    const options = setup();
    const result = await createNextReaderKey(options);
    expect(result.created).toBe(true);
    expect(result.previousAccessKeyIds).toEqual([]);
    expect(iam.keyIds(userName)).toEqual([result.accessKeyId]);
    const stored = JSON.parse(sm.value(options.secretId)!) as Record<string, string>;
    expect(stored).toEqual({ accessKeyId: result.accessKeyId, secretAccessKey: iam.key(userName, result.accessKeyId)!.secretAccessKey });
    expect(result.message).not.toContain(stored.secretAccessKey);
  });

  it('overwrites a generated placeholder value that is not a key pair', async () => {
    const options = setup('generated-placeholder-password');
    const result = await createNextReaderKey(options);
    expect(storedKeyId(options.secretId)).toBe(result.accessKeyId);
  });

  it('adds a second key, stores it as AWSCURRENT and keeps the old pair as AWSPREVIOUS with the old key active', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const result = await createNextReaderKey(options);

    expect(result).toMatchObject({ created: true, previousAccessKeyIds: [KEY_A] });
    expect(result.message).toContain(`Previous key ${KEY_A} stays active until retirePreviousReaderKeys.`);
    expect(storedKeyId(options.secretId)).toBe(result.accessKeyId);
    expect(storedKeyId(options.secretId, 'AWSPREVIOUS')).toBe(KEY_A);
    expect(iam.key(userName, KEY_A)!.status).toBe('Active');
    expect(sm.mock.commandCalls(PutSecretValueCommand)[0].args[0].input.ClientRequestToken).toBe(`rotate-reader-key-${result.accessKeyId}`);
  });

  it('is a no-op when re-run after it already stored the newer key', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const first = await createNextReaderKey(options);
    const again = await createNextReaderKey(options);

    expect(again).toMatchObject({ created: false, accessKeyId: first.accessKeyId, previousAccessKeyIds: [KEY_A] });
    expect(again.message).toContain('no key created');
    expect(iam.mock.commandCalls(CreateAccessKeyCommand)).toHaveLength(1);
    expect(sm.versionCount(options.secretId)).toBe(2);
  });

  it('refuses when two keys exist and the secret holds the older one', async () => {
    const options = setup(readerSecretJson(KEY_B, SECRET_B));
    iam.addKey(userName, KEY_A, SECRET_A);
    iam.addKey(userName, KEY_B, SECRET_B);
    // Make B the older of the two.
    iam.key(userName, KEY_B)!.createDate = new Date('2024-01-01T00:00:00Z');
    const error = await rejection(createNextReaderKey(options));
    expect(error.message).toContain(
      `User ${userName} has key ${KEY_A}, newer than the key ${KEY_B} in secret ${options.secretId}, that was never stored (an interrupted createNextReaderKey?).`,
    );
    expect(error.message).toContain(`aws iam delete-access-key --user-name ${userName} --access-key-id ${KEY_A}`);
    expect(iam.mock.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
  });

  it('refuses when two keys exist and the secret holds neither', async () => {
    const options = setup('placeholder');
    iam.addKey(userName, KEY_A, SECRET_A);
    iam.addKey(userName, KEY_B, SECRET_B);
    const error = await rejection(createNextReaderKey(options));
    expect(error.message).toContain(`User ${userName} already has 2 access keys (${KEY_A} Active, created`);
    expect(error.message).toContain(`the secret ${options.secretId} holds no valid key. Refusing to create another.`);
    expect(error.message).toContain('Run retirePreviousReaderKeys');
    expect(error.message).not.toContain(SECRET_A);
    expect(iam.mock.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
  });

  it('deletes the new key again when it cannot be stored, and says so without the secret', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    sm.failNext('PutSecretValue', awsError('AccessDeniedException', 'not authorized', 400));
    const error = await rejection(createNextReaderKey(options));

    expect(iam.keyIds(userName)).toEqual([KEY_A]);
    const deleted = iam.mock.commandCalls(DeleteAccessKeyCommand)[0].args[0].input.AccessKeyId!;
    expect(error.message).toBe(
      `Storing the new reader key in secret ${options.secretId} failed (Access denied trying to write a new version of secret ${options.secretId}: the deploying identity needs secretsmanager:PutSecretValue on it (and kms:Decrypt/kms:GenerateDataKey if it uses a customer managed KMS key).); the new key ${deleted} was deleted again.`,
    );
    expect(storedKeyId(options.secretId)).toBe(KEY_A);
  });

  it('tells the user to delete the new key by hand when the clean-up fails too', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    sm.failNext('PutSecretValue', awsError('InternalServiceError', 'boom', 500));
    iam.failNext('DeleteAccessKey', awsError('ServiceFailure', 'boom', 500));
    const error = await rejection(createNextReaderKey(options));
    const orphan = iam.keyIds(userName).find((id) => id !== KEY_A)!;
    expect(error.message).toContain(
      `the new key ${orphan} could not be deleted; delete it: aws iam delete-access-key --user-name ${userName} --access-key-id ${orphan}`,
    );
  });

  it('fails before creating a key when the secret does not exist', async () => {
    const options = { ...setup(), secretId: 'no-such-secret' };
    const error = await rejection(createNextReaderKey(options));
    expect(error.message).toBe('Secret no-such-secret does not exist; deploy the origin stack first (it creates the reader key secret).');
    expect(iam.mock.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
  });

  it('names the IAM permission when CreateAccessKey is denied', async () => {
    const options = setup();
    iam.failNext('CreateAccessKey', awsError('AccessDenied', 'not authorized', 403));
    const error = await rejection(createNextReaderKey(options));
    expect(error.message).toBe(
      `IAM CreateAccessKey for user ${userName} failed: access denied; the deploying identity needs iam:CreateAccessKey on user ${userName}.`,
    );
  });
});

describe('retirePreviousReaderKeys', () => {
  async function rotated(): Promise<{ options: ReaderKeyRotationOptions; newKey: string }> {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const { accessKeyId } = await createNextReaderKey(options);
    return { options, newKey: accessKeyId };
  }

  it('deactivates the other key, waits for the grace period, then deletes it', async () => {
    const { options, newKey } = await rotated();
    const t0 = new Date('2025-03-01T00:00:00Z');
    const first = await retirePreviousReaderKeys({ ...options, gracePeriodMs: 24 * HOUR, now: () => t0 });
    expect(first).toEqual({
      keptAccessKeyId: newKey,
      retired: [{ accessKeyId: KEY_A, action: 'deactivated', deleteAfter: new Date('2025-03-02T00:00:00Z') }],
    });
    expect(iam.key(userName, KEY_A)!.status).toBe('Inactive');
    expect(iam.tags.get(userName)!.get(`${DEACTIVATED_AT_TAG_PREFIX}${KEY_A}`)).toBe(t0.toISOString());

    const early = await retirePreviousReaderKeys({ ...options, gracePeriodMs: 24 * HOUR, now: () => new Date('2025-03-01T23:59:59Z') });
    expect(early.retired).toEqual([{ accessKeyId: KEY_A, action: 'waiting', deleteAfter: new Date('2025-03-02T00:00:00Z') }]);
    expect(iam.keyIds(userName)).toContain(KEY_A);

    const late = await retirePreviousReaderKeys({ ...options, gracePeriodMs: 24 * HOUR, now: () => new Date('2025-03-02T00:00:00Z') });
    expect(late.retired).toEqual([{ accessKeyId: KEY_A, action: 'deleted' }]);
    expect(iam.keyIds(userName)).toEqual([newKey]);
    expect([...iam.tags.get(userName)!.keys()]).toEqual([]);

    const again = await retirePreviousReaderKeys({ ...options, now: () => new Date('2025-04-01T00:00:00Z') });
    expect(again).toEqual({ keptAccessKeyId: newKey, retired: [] });
  });

  it('finishes after an interruption between the marker and the deactivation', async () => {
    const { options } = await rotated();
    iam.failNext('UpdateAccessKey', awsError('ServiceFailure', 'boom', 500));
    await expect(retirePreviousReaderKeys({ ...options, now: () => new Date('2025-03-01T00:00:00Z') })).rejects.toThrow(
      `IAM UpdateAccessKey for user ${userName} failed: ServiceFailure: boom.`,
    );
    expect(iam.key(userName, KEY_A)!.status).toBe('Active');

    const rerun = await retirePreviousReaderKeys({ ...options, now: () => new Date('2025-03-01T01:00:00Z') });
    expect(rerun.retired).toEqual([{ accessKeyId: KEY_A, action: 'deactivated', deleteAfter: new Date('2025-03-02T01:00:00Z') }]);
    expect(iam.key(userName, KEY_A)!.status).toBe('Inactive');
  });

  it('counts a key that vanished before its delete as deleted', async () => {
    const { options, newKey } = await rotated();
    await retirePreviousReaderKeys({ ...options, gracePeriodMs: 0, now: () => new Date('2025-03-01T00:00:00Z') });
    iam.failNext('DeleteAccessKey', iamError('NoSuchEntity', `The Access Key with id ${KEY_A} cannot be found.`, 404));
    const result = await retirePreviousReaderKeys({ ...options, gracePeriodMs: 0, now: () => new Date('2025-03-01T00:00:01Z') });
    expect(result).toEqual({ keptAccessKeyId: newKey, retired: [{ accessKeyId: KEY_A, action: 'deleted' }] });
  });

  it('names a missing reader user', async () => {
    const options = { ...setup(readerSecretJson(KEY_A, SECRET_A)), userName: 'no-such-user' };
    await expect(retirePreviousReaderKeys(options)).rejects.toThrow(
      'IAM ListAccessKeys for user no-such-user failed: IAM reports NoSuchEntity (does user no-such-user exist?).',
    );
  });

  it('starts the grace period for an inactive key that has no marker (deactivated by hand)', async () => {
    const { options } = await rotated();
    iam.key(userName, KEY_A)!.status = 'Inactive';
    const result = await retirePreviousReaderKeys({ ...options, gracePeriodMs: HOUR, now: () => new Date('2025-03-01T00:00:00Z') });
    expect(result.retired).toEqual([{ accessKeyId: KEY_A, action: 'deactivated', deleteAfter: new Date('2025-03-01T01:00:00Z') }]);
    expect(iam.keyIds(userName)).toContain(KEY_A);
  });

  it('clears markers left for keys that no longer exist', async () => {
    const { options } = await rotated();
    iam.tags.get(userName)!.set(`${DEACTIVATED_AT_TAG_PREFIX}AKIAGONEGONEGONEGONE`, '2025-01-01T00:00:00.000Z');
    iam.tags.get(userName)!.set('team', 'cdn');
    await retirePreviousReaderKeys({ ...options, now: () => new Date('2025-03-01T00:00:00Z') });
    expect([...iam.tags.get(userName)!.keys()].sort()).toEqual([`${DEACTIVATED_AT_TAG_PREFIX}${KEY_A}`, 'team']);
  });

  it('refuses to retire anything when the secret key is not one of the user keys', async () => {
    const options = setup(readerSecretJson(KEY_B, SECRET_B));
    iam.addKey(userName, KEY_A, SECRET_A);
    const error = await rejection(retirePreviousReaderKeys(options));
    expect(error.message).toContain(
      `Secret ${options.secretId} holds key ${KEY_B}, which user ${userName} does not have (keys: ${KEY_A} Active`,
    );
    expect(error.message).toContain('Refusing to retire anything');
    expect(iam.key(userName, KEY_A)!.status).toBe('Active');
  });

  it('refuses when the key in the secret is inactive', async () => {
    const options = setup(readerSecretJson(KEY_B, SECRET_B));
    iam.addKey(userName, KEY_A, SECRET_A);
    iam.addKey(userName, KEY_B, SECRET_B, 'Inactive');
    const error = await rejection(retirePreviousReaderKeys(options));
    expect(error.message).toBe(
      `Key ${KEY_B} in secret ${options.secretId} is Inactive; retiring the others would leave the CDN without a working key. Re-activate it first: aws iam update-access-key --user-name ${userName} --access-key-id ${KEY_B} --status Active`,
    );
    expect(iam.key(userName, KEY_A)!.status).toBe('Active');
  });

  it('refuses when the secret does not hold a valid key pair', async () => {
    const options = setup('placeholder');
    iam.addKey(userName, KEY_A, SECRET_A);
    const error = await rejection(retirePreviousReaderKeys(options));
    expect(error.message).toBe(`Secret ${options.secretId} is not JSON; expected {"accessKeyId": "AKIA...", "secretAccessKey": "..."}.`);
    expect(iam.key(userName, KEY_A)!.status).toBe('Active');
  });

  it('allows a new rotation once the previous key is gone', async () => {
    const { options, newKey } = await rotated();
    await retirePreviousReaderKeys({ ...options, gracePeriodMs: 0, now: () => new Date('2025-03-01T00:00:00Z') });
    await retirePreviousReaderKeys({ ...options, gracePeriodMs: 0, now: () => new Date('2025-03-01T00:00:01Z') });
    const next = await createNextReaderKey(options);
    expect(next).toMatchObject({ created: true, previousAccessKeyIds: [newKey] });
  });
});

describe('rollbackReaderKey', () => {
  async function rotated(): Promise<{ options: ReaderKeyRotationOptions; newKey: string }> {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const { accessKeyId } = await createNextReaderKey(options);
    return { options, newKey: accessKeyId };
  }

  it('moves AWSCURRENT back to the previous pair, and a repeat changes nothing', async () => {
    const { options, newKey } = await rotated();
    const result = await rollbackReaderKey({ ...options, toAccessKeyId: KEY_A });
    expect(result).toMatchObject({ changed: true, accessKeyId: KEY_A });
    expect(result.message).toContain(`then retire ${newKey}`);
    expect(storedKeyId(options.secretId)).toBe(KEY_A);
    expect(storedKeyId(options.secretId, 'AWSPREVIOUS')).toBe(newKey);

    const again = await rollbackReaderKey({ ...options, toAccessKeyId: KEY_A });
    expect(again.changed).toBe(false);
    expect(storedKeyId(options.secretId)).toBe(KEY_A);
  });

  it('re-activates a retired key that is still in its grace period', async () => {
    const { options } = await rotated();
    await retirePreviousReaderKeys({ ...options, now: () => new Date('2025-03-01T00:00:00Z') });
    await rollbackReaderKey({ ...options, toAccessKeyId: KEY_A });
    expect(iam.key(userName, KEY_A)!.status).toBe('Active');
    expect(iam.tags.get(userName)!.has(`${DEACTIVATED_AT_TAG_PREFIX}${KEY_A}`)).toBe(false);
    expect(storedKeyId(options.secretId)).toBe(KEY_A);
  });

  it('refuses once the key has been deleted', async () => {
    const { options } = await rotated();
    await retirePreviousReaderKeys({ ...options, gracePeriodMs: 0, now: () => new Date('2025-03-01T00:00:00Z') });
    await retirePreviousReaderKeys({ ...options, gracePeriodMs: 0, now: () => new Date('2025-03-01T00:00:01Z') });
    await expect(rollbackReaderKey({ ...options, toAccessKeyId: KEY_A })).rejects.toThrow(
      `Cannot roll back to key ${KEY_A}: user ${userName} no longer has it (it was deleted after its grace period).`,
    );
  });

  it('refuses a key that is neither AWSCURRENT nor AWSPREVIOUS in the secret', async () => {
    const { options, newKey } = await rotated();
    // A third key can only exist by hand; the double allows it so the check itself is reached.
    iam.addKey(userName, KEY_B, SECRET_B);
    await expect(rollbackReaderKey({ ...options, toAccessKeyId: KEY_B })).rejects.toThrow(
      `Cannot roll back to key ${KEY_B}: secret ${options.secretId} holds ${newKey} (AWSCURRENT) and ${KEY_A} (AWSPREVIOUS); only the AWSPREVIOUS key can be restored.`,
    );
    expect(storedKeyId(options.secretId)).toBe(newKey);
  });

  it('refuses when the secret has no previous version', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    iam.addKey(userName, KEY_B, SECRET_B);
    await expect(rollbackReaderKey({ ...options, toAccessKeyId: KEY_B })).rejects.toThrow(
      `Cannot read the AWSPREVIOUS version of secret ${options.secretId}: the secret or that version does not exist.`,
    );
  });
});
