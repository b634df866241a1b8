import { CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  confirmCdnHoldsReaderKey,
  DEACTIVATED_AT_TAG_PREFIX,
  deleteAllReaderKeys,
  reconcileReaderKey,
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

describe('reconcileReaderKey', () => {
  const run = (options: ReaderKeyRotationOptions, held: string | undefined, rotate: boolean) =>
    reconcileReaderKey({ ...options, cdnHeldAccessKeyId: held, rotate });

  it('creates the first key into a secret the stack created without a value', async () => {
    const options = setup();
    const result = await run(options, undefined, false);
    expect(result.created).toBe(true);
    expect(iam.keyIds(userName)).toEqual([result.accessKeyId]);
    const stored = JSON.parse(sm.value(options.secretId)!) as Record<string, string>;
    expect(stored).toEqual({ accessKeyId: result.accessKeyId, secretAccessKey: iam.key(userName, result.accessKeyId)!.secretAccessKey });
    expect(result.actions.join('\n')).not.toContain(stored.secretAccessKey);
  });

  it('overwrites a generated placeholder value that is not a key pair', async () => {
    const options = setup('generated-placeholder-password');
    const result = await run(options, undefined, false);
    expect(storedKeyId(options.secretId)).toBe(result.accessKeyId);
  });

  it('deploy: a stored, active key is kept and nothing is called that writes', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    expect(await run(options, KEY_A, false)).toEqual({ accessKeyId: KEY_A, created: false, actions: [] });
    expect(iam.mock.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
  });

  it('rotate: adds a second key, stores it as AWSCURRENT and keeps the old pair as AWSPREVIOUS with the old key active', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const result = await run(options, KEY_A, true);
    expect(result.created).toBe(true);
    expect(storedKeyId(options.secretId)).toBe(result.accessKeyId);
    expect(storedKeyId(options.secretId, 'AWSPREVIOUS')).toBe(KEY_A);
    expect(iam.key(userName, KEY_A)!.status).toBe('Active');
    expect(sm.mock.commandCalls(PutSecretValueCommand)[0].args[0].input.ClientRequestToken).toBe(`rotate-reader-key-${result.accessKeyId}`);
  });

  it('rotate again before the CDN took the new key: resumes, no third key', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const first = await run(options, KEY_A, true);
    const again = await run(options, KEY_A, true);
    expect(again).toMatchObject({ accessKeyId: first.accessKeyId, created: false });
    expect(again.actions.join('\n')).toContain('Resuming the unfinished rotation');
    expect(iam.keyIds(userName)).toHaveLength(2);
  });

  it('rotate again after the CDN took the new key but before the old one was retired: resumes the retirement', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const first = await run(options, KEY_A, true);
    const again = await run(options, first.accessKeyId, true);
    expect(again).toMatchObject({ accessKeyId: first.accessKeyId, created: false });
    expect(iam.keyIds(userName)).toHaveLength(2);
  });

  it('rotate after a finished rotation (old key inactive): frees the slot and creates a new key every time', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    let held = KEY_A;
    const seen = new Set([KEY_A]);
    for (let round = 0; round < 3; round++) {
      const result = await run(options, held, true);
      expect(result.created).toBe(true);
      expect(seen.has(result.accessKeyId)).toBe(false);
      seen.add(result.accessKeyId);
      held = result.accessKeyId; // the deploy gave it to the CDN
      await retirePreviousReaderKeys({ ...options, cdnHeldAccessKeyId: held, now: () => new Date('2025-03-01T00:00:00Z') });
      expect(iam.keyIds(userName)).toHaveLength(2);
    }
  });

  it('deletes an active key that is neither stored nor held by the CDN (an interrupted run) and says so', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    iam.addKey(userName, KEY_B, SECRET_B);
    const result = await run(options, KEY_A, false);
    expect(result).toMatchObject({ accessKeyId: KEY_A, created: false });
    expect(iam.keyIds(userName)).toEqual([KEY_A]);
    expect(result.actions.join('\n')).toContain(`Deleted key ${KEY_B}`);
  });

  it('a crash between CreateAccessKey and storing it: the re-run deletes the orphan and ends with two keys, never three', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    sm.failNext('PutSecretValue', awsError('InternalServiceError', 'boom'));
    iam.failNext('DeleteAccessKey', awsError('ServiceFailure', 'boom'));
    await expect(run(options, KEY_A, true)).rejects.toThrow('the next run deletes it as an orphan');
    expect(iam.keyIds(userName)).toHaveLength(2);
    const rerun = await run(options, KEY_A, true);
    expect(rerun.created).toBe(true);
    expect(rerun.actions.join('\n')).toContain('neither stored');
    expect(iam.keyIds(userName).sort()).toEqual([KEY_A, rerun.accessKeyId].sort());
    expect(storedKeyId(options.secretId)).toBe(rerun.accessKeyId);
  });

  it('a stored key that was deactivated gets a replacement, after deleting the key that is neither stored nor held', async () => {
    const options = setup(readerSecretJson(KEY_B, SECRET_B));
    iam.addKey(userName, KEY_A, SECRET_A, 'Inactive'); // retired by the last rotation
    iam.addKey(userName, KEY_B, SECRET_B, 'Inactive'); // the current key, deactivated by hand (a suspected leak)
    const result = await run(options, KEY_B, false);
    expect(result.created).toBe(true);
    expect(iam.key(userName, KEY_A)).toBeUndefined();
    expect(iam.key(userName, result.accessKeyId)!.status).toBe('Active');
    expect(storedKeyId(options.secretId)).toBe(result.accessKeyId);
  });

  it('a stored key that IAM no longer has gets a replacement', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    const result = await run(options, KEY_A, false);
    expect(result.created).toBe(true);
    expect(result.actions.join('\n')).toContain(`key ${KEY_A} in secret ${options.secretId} no longer exists in IAM`);
  });

  it('IAM refuses a third key (LimitExceeded), as documented', async () => {
    iam = new IamDouble(userName);
    iam.addKey(userName, KEY_A, SECRET_A);
    iam.addKey(userName, KEY_B, SECRET_B);
    await expect(iam.client.send(new CreateAccessKeyCommand({ UserName: userName }))).rejects.toThrow(
      'Cannot exceed quota for AccessKeysPerUser: 2',
    );
  });
});

describe('confirmCdnHoldsReaderKey', () => {
  it('passes when the CDN holds the stored, active key', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    expect(await confirmCdnHoldsReaderKey({ ...options, cdnHeldAccessKeyId: KEY_A })).toBe(KEY_A);
  });

  it('fails when the CDN holds another key, or none', async () => {
    const options = setup(readerSecretJson(KEY_B, SECRET_B));
    iam.addKey(userName, KEY_B, SECRET_B);
    await expect(confirmCdnHoldsReaderKey({ ...options, cdnHeldAccessKeyId: KEY_A })).rejects.toThrow(`The CDN holds reader key ${KEY_A}`);
    await expect(confirmCdnHoldsReaderKey({ ...options, cdnHeldAccessKeyId: undefined })).rejects.toThrow(
      'The CDN holds reader key (none)',
    );
  });

  it('fails when the held key is inactive', async () => {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A, 'Inactive');
    await expect(confirmCdnHoldsReaderKey({ ...options, cdnHeldAccessKeyId: KEY_A })).rejects.toThrow('every cache miss gets 403');
  });
});

describe('deleteAllReaderKeys', () => {
  it('deletes every key; a re-run, and a user already gone, are no-ops', async () => {
    setup();
    iam.addKey(userName, KEY_A, SECRET_A);
    iam.addKey(userName, KEY_B, SECRET_B, 'Inactive');
    expect(await deleteAllReaderKeys({ iam: iam.client, userName })).toEqual([KEY_A, KEY_B]);
    expect(await deleteAllReaderKeys({ iam: iam.client, userName })).toEqual([]);
    expect(await deleteAllReaderKeys({ iam: iam.client, userName: 'gone' })).toEqual([]);
  });
});

describe('retirePreviousReaderKeys', () => {
  async function rotated(): Promise<{ options: ReaderKeyRotationOptions; newKey: string }> {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const { accessKeyId } = await reconcileReaderKey({ ...options, cdnHeldAccessKeyId: KEY_A, rotate: true });
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
    const next = await reconcileReaderKey({ ...options, cdnHeldAccessKeyId: newKey, rotate: true });
    expect(next.created).toBe(true);
    expect(iam.keyIds(userName)).toEqual([newKey, next.accessKeyId]);
  });
});

describe('rollbackReaderKey', () => {
  async function rotated(): Promise<{ options: ReaderKeyRotationOptions; newKey: string }> {
    const options = setup(readerSecretJson(KEY_A, SECRET_A));
    iam.addKey(userName, KEY_A, SECRET_A);
    const { accessKeyId } = await reconcileReaderKey({ ...options, cdnHeldAccessKeyId: KEY_A, rotate: true });
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
