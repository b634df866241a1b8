import { CreateSecretCommand, GetRandomPasswordCommand } from '@aws-sdk/client-secrets-manager';
import { beginRefererRotation, ensureRefererSecret, finishRefererRotation } from '../../../lib/deploy/aws/referer-secret';
import { readRefererSecret } from '../../../lib/deploy/aws/secrets';
import { awsError } from '../../doubles/aws-error-doubles';
import { SecretsManagerDouble } from '../../doubles/iam-secrets-test-doubles';
import { REFERER_A, REFERER_B, refererSecretJson } from './secret-fixtures';

let sm: SecretsManagerDouble;

beforeEach(() => {
  sm = new SecretsManagerDouble();
});

const fields = (secretId: string, stage = 'AWSCURRENT') => JSON.parse(sm.value(secretId, stage)!) as Record<string, string>;

describe('beginRefererRotation', () => {
  it('makes a new random value current and keeps the old one as previous', async () => {
    const secretId = sm.addSecret('origin-referer', refererSecretJson(REFERER_A));
    sm.randomPasswords.push(REFERER_B);
    const result = await beginRefererRotation({ secretsManager: sm.client, secretId });

    expect(fields(secretId)).toEqual({ current: REFERER_B, previous: REFERER_A });
    expect(result.changed).toBe(true);
    expect(result.versionId).toBe((await readRefererSecret({ secretsManager: sm.client, secretId })).versionId);
    expect(result.message).not.toContain(REFERER_A);
    expect(result.message).not.toContain(REFERER_B);
    expect(sm.mock.commandCalls(GetRandomPasswordCommand)[0].args[0].input).toEqual({
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
      RequireEachIncludedType: true,
    });
  });

  it('does nothing when re-run mid-rotation, so an interrupted deploy can simply run again', async () => {
    const secretId = sm.addSecret('origin-referer', refererSecretJson(REFERER_A));
    const first = await beginRefererRotation({ secretsManager: sm.client, secretId });
    const again = await beginRefererRotation({ secretsManager: sm.client, secretId });
    expect(again).toEqual({ changed: false, versionId: first.versionId, message: expect.stringContaining('already mid-rotation') });
    expect(sm.mock.commandCalls(GetRandomPasswordCommand)).toHaveLength(1);
    expect(fields(secretId).previous).toBe(REFERER_A);
  });

  it('honours a requested length and rejects one below 32', async () => {
    const secretId = sm.addSecret('origin-referer', refererSecretJson(REFERER_A));
    await beginRefererRotation({ secretsManager: sm.client, secretId, length: 40 });
    expect(fields(secretId).current).toHaveLength(40);
    await expect(beginRefererRotation({ secretsManager: sm.client, secretId, length: 16 })).resolves.toMatchObject({ changed: false });
    const other = sm.addSecret('other', refererSecretJson(REFERER_A));
    await expect(beginRefererRotation({ secretsManager: sm.client, secretId: other, length: 16 })).rejects.toThrow(
      'Referer secret length 16 is not allowed; use an integer from 32 to 256.',
    );
  });

  it('refuses a generated value that is too short, without storing it', async () => {
    const secretId = sm.addSecret('origin-referer', refererSecretJson(REFERER_A));
    sm.randomPasswords.push('abc123');
    await expect(beginRefererRotation({ secretsManager: sm.client, secretId })).rejects.toThrow(
      'The generated referer secret is 6 characters; expected 32 to 256.',
    );
    expect(sm.versionCount(secretId)).toBe(1);
  });

  it('names the permission when GetRandomPassword is denied', async () => {
    const secretId = sm.addSecret('origin-referer', refererSecretJson(REFERER_A));
    sm.failNext('GetRandomPassword', awsError('AccessDeniedException', 'denied'));
    await expect(beginRefererRotation({ secretsManager: sm.client, secretId })).rejects.toThrow(
      'Generating a referer secret failed: access denied; the deploying identity needs secretsmanager:GetRandomPassword.',
    );
  });
});

describe('finishRefererRotation', () => {
  it('drops the old value by setting previous to current, and is a no-op afterwards', async () => {
    const secretId = sm.addSecret('origin-referer', refererSecretJson(REFERER_B, REFERER_A));
    const done = await finishRefererRotation({ secretsManager: sm.client, secretId });
    expect(done.changed).toBe(true);
    expect(fields(secretId)).toEqual({ current: REFERER_B, previous: REFERER_B });

    const again = await finishRefererRotation({ secretsManager: sm.client, secretId });
    expect(again).toEqual({
      changed: false,
      versionId: done.versionId,
      message: `Secret ${secretId} is not mid-rotation; nothing to finish.`,
    });
  });

  it('completes a full rotation: begin, finish, begin again', async () => {
    const secretId = sm.addSecret('origin-referer', refererSecretJson(REFERER_A));
    await beginRefererRotation({ secretsManager: sm.client, secretId });
    const newValue = fields(secretId).current;
    await finishRefererRotation({ secretsManager: sm.client, secretId });
    await beginRefererRotation({ secretsManager: sm.client, secretId });
    expect(fields(secretId).previous).toBe(newValue);
    expect(fields(secretId).current).not.toBe(newValue);
  });

  it('refuses a malformed secret without quoting it', async () => {
    const secretId = sm.addSecret('origin-referer', JSON.stringify({ current: REFERER_A, previous: 'short' }));
    const error = await finishRefererRotation({ secretsManager: sm.client, secretId }).catch((error: Error) => error);
    expect((error as Error).message).toBe(`Secret ${secretId} (AWSCURRENT): field "previous" is 5 characters; expected 32 to 256.`);
    expect((error as Error).message).not.toContain(REFERER_A);
  });
});

describe('ensureRefererSecret', () => {
  it('creates the secret in the canonical shape when it does not exist', async () => {
    sm.randomPasswords.push(REFERER_A);
    const result = await ensureRefererSecret({
      secretsManager: sm.client,
      secretName: 'origin-referer',
      description: 'CDN referer secret',
    });
    expect(result.action).toBe('created');
    expect(result.arn).toMatch(/^arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:origin-referer-/);
    expect(fields(result.arn)).toEqual({ current: REFERER_A, previous: REFERER_A });
    expect(sm.mock.commandCalls(CreateSecretCommand)[0].args[0].input).toMatchObject({
      Name: 'origin-referer',
      Description: 'CDN referer secret',
    });
  });

  it('fills a secret that exists without a value', async () => {
    const arn = sm.addSecret('origin-referer');
    const result = await ensureRefererSecret({ secretsManager: sm.client, secretName: 'origin-referer' });
    expect(result).toEqual({ arn, action: 'initialized' });
    expect(fields(arn).current).toBe(fields(arn).previous);
  });

  it('completes a {"current"}-only secret (as CloudFormation generates it) with previous = current', async () => {
    const arn = sm.addSecret('origin-referer', JSON.stringify({ current: REFERER_A }));
    await expect(ensureRefererSecret({ secretsManager: sm.client, secretName: 'origin-referer' })).resolves.toEqual({
      arn,
      action: 'normalized',
    });
    expect(fields(arn)).toEqual({ current: REFERER_A, previous: REFERER_A });
  });

  it('leaves a canonical secret alone', async () => {
    const arn = sm.addSecret('origin-referer', refererSecretJson(REFERER_B, REFERER_A));
    await expect(ensureRefererSecret({ secretsManager: sm.client, secretName: 'origin-referer' })).resolves.toEqual({
      arn,
      action: 'unchanged',
    });
    expect(sm.versionCount(arn)).toBe(1);
  });

  it('refuses to overwrite a value it does not understand, without quoting it', async () => {
    const arn = sm.addSecret('origin-referer', REFERER_A);
    const error = await ensureRefererSecret({ secretsManager: sm.client, secretName: 'origin-referer' }).catch((error: Error) => error);
    expect((error as Error).message).toBe(
      'Secret origin-referer (AWSCURRENT) is not JSON; expected {"current": "...", "previous": "..."}.',
    );
    expect(sm.value(arn)).toBe(REFERER_A);
  });

  it('uses the secret another process created between describe and create', async () => {
    // The racing creator stores a canonical value right when our create fails.
    sm.mock.on(CreateSecretCommand).callsFakeOnce(() => {
      sm.addSecret('origin-referer', refererSecretJson(REFERER_B));
      throw awsError('ResourceExistsException', 'The operation failed because the secret origin-referer already exists.');
    });
    const result = await ensureRefererSecret({ secretsManager: sm.client, secretName: 'origin-referer' });
    expect(result.action).toBe('unchanged');
    expect(fields(result.arn).current).toBe(REFERER_B);
  });

  it('says how to restore a secret that is scheduled for deletion', async () => {
    const arn = sm.addSecret('origin-referer', refererSecretJson(REFERER_A));
    sm.secrets.get(arn)!.deleted = new Date();
    await expect(ensureRefererSecret({ secretsManager: sm.client, secretName: 'origin-referer' })).rejects.toThrow(
      'Secret origin-referer is scheduled for deletion; restore it first: aws secretsmanager restore-secret --secret-id origin-referer',
    );
  });
});
