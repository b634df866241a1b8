import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { format, inspect } from 'node:util';
import { readReaderKeyPair, readRefererSecret, SecretText } from '../../../lib/deploy/aws/secrets';
import { awsError } from '../../doubles/aws-error-doubles';
import {
  EXAMPLE_ACCESS_KEY_ID,
  EXAMPLE_SECRET_ACCESS_KEY,
  readerSecretJson,
  REFERER_A,
  REFERER_B,
  refererSecretJson,
} from './secret-fixtures';

const smMock = mockClient(SecretsManagerClient);
const secretsManager = new SecretsManagerClient({ region: 'ap-northeast-2' });
const secretId = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:origin-reader-AbCdEf';

beforeEach(() => smMock.reset());

function stored(secretString: string, versionId = 'v-1') {
  smMock.on(GetSecretValueCommand).resolves({ SecretString: secretString, VersionId: versionId, VersionStages: ['AWSCURRENT'] });
}

/** Runs a read that must fail and checks that the error says nothing of the secret values. */
async function failure(read: Promise<unknown>, ...secrets: string[]): Promise<string> {
  const error = await read.then(
    () => {
      throw new Error('expected the read to fail');
    },
    (error: Error) => error,
  );
  for (const secret of secrets) expect(error.message).not.toContain(secret);
  return error.message;
}

describe('readReaderKeyPair', () => {
  it('returns the key id in clear and the secret key wrapped', async () => {
    stored(readerSecretJson(), 'v-7');
    const pair = await readReaderKeyPair({ secretsManager, secretId });
    expect(pair.accessKeyId).toBe(EXAMPLE_ACCESS_KEY_ID);
    expect(pair.secretAccessKey.reveal()).toBe(EXAMPLE_SECRET_ACCESS_KEY);
    expect(pair.versionId).toBe('v-7');
    expect(JSON.stringify(pair)).not.toContain(EXAMPLE_SECRET_ACCESS_KEY);
    expect(smMock.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: secretId, VersionStage: 'AWSCURRENT' });
  });

  it('reads another version stage when asked', async () => {
    stored(readerSecretJson());
    await readReaderKeyPair({ secretsManager, secretId, versionStage: 'AWSPREVIOUS' });
    expect(smMock.commandCalls(GetSecretValueCommand)[0].args[0].input.VersionStage).toBe('AWSPREVIOUS');
  });

  it('rejects an access key id that does not match AKIA[0-9A-Z]{16}, without quoting it', async () => {
    // A swapped pair: the secret key sits in the id field.
    stored(readerSecretJson(EXAMPLE_SECRET_ACCESS_KEY, EXAMPLE_SECRET_ACCESS_KEY));
    expect(await failure(readReaderKeyPair({ secretsManager, secretId }), EXAMPLE_SECRET_ACCESS_KEY)).toBe(
      `Secret ${secretId} (AWSCURRENT): field "accessKeyId" (40 characters) does not match AKIA[0-9A-Z]{16}; expected the access key id of an IAM user's long-term key.`,
    );
  });

  it('rejects a secret access key that is not 40 characters', async () => {
    stored(readerSecretJson(EXAMPLE_ACCESS_KEY_ID, 'tooShortSecret123'));
    expect(await failure(readReaderKeyPair({ secretsManager, secretId }), 'tooShortSecret123')).toBe(
      `Secret ${secretId} (AWSCURRENT): field "secretAccessKey" (17 characters) is not a secret access key; expected 40 characters of A-Z, a-z, 0-9, "/" and "+".`,
    );
  });

  it('rejects a value that is not JSON without passing on the parser message (it quotes the input)', async () => {
    stored(`${EXAMPLE_SECRET_ACCESS_KEY} not json`);
    expect(await failure(readReaderKeyPair({ secretsManager, secretId }), EXAMPLE_SECRET_ACCESS_KEY)).toBe(
      `Secret ${secretId} (AWSCURRENT) is not JSON; expected {"accessKeyId": "AKIA...", "secretAccessKey": "..."}.`,
    );
  });

  it('names a missing field and a field of the wrong type', async () => {
    stored(JSON.stringify({ accessKeyId: EXAMPLE_ACCESS_KEY_ID }));
    expect(await failure(readReaderKeyPair({ secretsManager, secretId }))).toBe(
      `Secret ${secretId} (AWSCURRENT): field "secretAccessKey" is missing.`,
    );
    stored(JSON.stringify({ accessKeyId: 42, secretAccessKey: EXAMPLE_SECRET_ACCESS_KEY }));
    expect(await failure(readReaderKeyPair({ secretsManager, secretId }), EXAMPLE_SECRET_ACCESS_KEY)).toBe(
      `Secret ${secretId} (AWSCURRENT): field "accessKeyId" is a number; expected a string.`,
    );
  });

  it('rejects a binary secret', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]), VersionId: 'v-1' });
    expect(await failure(readReaderKeyPair({ secretsManager, secretId }))).toContain(
      'has no SecretString (binary secrets are not supported)',
    );
  });

  it('names the permission on access denied and the secret on not found', async () => {
    smMock.on(GetSecretValueCommand).rejects(awsError('AccessDeniedException', 'User is not authorized', 400));
    expect(await failure(readReaderKeyPair({ secretsManager, secretId }))).toBe(
      `Access denied trying to read the AWSCURRENT version of secret ${secretId}: the deploying identity needs secretsmanager:GetSecretValue on it (and kms:Decrypt/kms:GenerateDataKey if it uses a customer managed KMS key).`,
    );
    smMock.on(GetSecretValueCommand).rejects(awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."));
    expect(await failure(readReaderKeyPair({ secretsManager, secretId }))).toBe(
      `Cannot read the AWSCURRENT version of secret ${secretId}: the secret or that version does not exist.`,
    );
  });
});

describe('readRefererSecret', () => {
  it('returns both values wrapped and whether a rotation is in progress', async () => {
    stored(refererSecretJson(REFERER_A));
    const idle = await readRefererSecret({ secretsManager, secretId });
    expect(idle.current.reveal()).toBe(REFERER_A);
    expect(idle.previous.reveal()).toBe(REFERER_A);
    expect(idle.rotating).toBe(false);

    stored(refererSecretJson(REFERER_B, REFERER_A), 'v-2');
    const rotating = await readRefererSecret({ secretsManager, secretId });
    expect(rotating.current.reveal()).toBe(REFERER_B);
    expect(rotating.previous.reveal()).toBe(REFERER_A);
    expect(rotating.rotating).toBe(true);
    expect(rotating.versionId).toBe('v-2');
  });

  it('rejects a value shorter than 32 characters and a missing previous field', async () => {
    stored(refererSecretJson('short-referer', REFERER_A));
    expect(await failure(readRefererSecret({ secretsManager, secretId }), 'short-referer', REFERER_A)).toBe(
      `Secret ${secretId} (AWSCURRENT): field "current" is 13 characters; expected 32 to 256.`,
    );
    stored(JSON.stringify({ current: REFERER_A }));
    expect(await failure(readRefererSecret({ secretsManager, secretId }), REFERER_A)).toBe(
      `Secret ${secretId} (AWSCURRENT): field "previous" is missing.`,
    );
  });

  it('rejects characters that are unsafe in a header or a policy string', async () => {
    const withQuote = `${REFERER_A}"`;
    stored(refererSecretJson(withQuote, REFERER_A));
    expect(await failure(readRefererSecret({ secretsManager, secretId }), withQuote)).toContain(
      'contains characters other than visible ASCII',
    );
  });

  it('rejects a plain-string secret (the shape is JSON, so the bucket policy can address each field)', async () => {
    stored(REFERER_A);
    expect(await failure(readRefererSecret({ secretsManager, secretId }), REFERER_A)).toBe(
      `Secret ${secretId} (AWSCURRENT) is not JSON; expected {"current": "...", "previous": "..."}.`,
    );
  });
});

const value = 'super-secret-value-that-must-not-print';

describe('SecretText', () => {
  const secret = new SecretText(value);

  it('reveals the value only through reveal()', () => {
    expect(secret.reveal()).toBe(value);
  });

  it.each([
    ['String()', () => String(secret)],
    ['template literal', () => `${secret}`],
    ['concatenation', () => 'x' + secret],
    ['JSON.stringify', () => JSON.stringify({ secret })],
    ['util.inspect', () => inspect(secret)],
    ['util.inspect nested, showHidden', () => inspect({ a: [secret] }, { showHidden: true, depth: 10 })],
    ['util.format %s / %o / %j', () => format('%s %o %j', secret, secret, { secret })],
    ['Object.keys / entries', () => JSON.stringify(Object.entries(secret))],
  ])('shows [redacted] for %s', (_label, render) => {
    const text = render();
    expect(text).not.toContain(value);
  });

  it('says [redacted] where a string is expected', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect(secret)).toBe('SecretText [redacted]');
  });

  it('compares values without revealing them', () => {
    expect(secret.equals(new SecretText(value))).toBe(true);
    expect(secret.equals(new SecretText(`${value}x`))).toBe(false);
    expect(secret.equals(new SecretText(value.replace('s', 'S')))).toBe(false);
  });

  it('cannot be modified', () => {
    expect(Object.isFrozen(secret)).toBe(true);
  });
});
