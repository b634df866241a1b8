import { AlibabaApiError, classifyFailure, SecretRedactor, withRetry } from '../../../lib/alibaba-api';

const ctx = { service: 'ROS', action: 'GetStack', target: "stack 'cdn'" };

/** Errors shaped like the ones @alicloud/openapi-core and Node's HTTP stack throw. */
const throttled = (retryAfter?: number) =>
  Object.assign(new Error('Throttling.User: code: 400, Request was denied due to user flow control. request id: R1'), {
    name: 'ThrottlingError',
    code: 'Throttling.User',
    statusCode: 400,
    retryAfter,
    requestId: 'R1',
    data: { Message: 'Request was denied due to user flow control.' },
  });
const serverError = () =>
  Object.assign(new Error('ServiceUnavailable: code: 503, busy request id: R2'), {
    name: 'ServerError',
    code: 'ServiceUnavailable',
    statusCode: 503,
  });
const reset = () =>
  Object.assign(new Error('socket hang upPOST http://h/?Parameters.1.ParameterValue=s3cr3t-value failed.'), { code: 'ECONNRESET' });
const timeout = () => Object.assign(new Error('ReadTimeout(100). POST http://h/?x=1 failed.'), { name: 'RequestTimeoutError' });
const forbidden = () =>
  Object.assign(new Error('Forbidden.RAM: code: 403, denied request id: R3'), {
    name: 'ClientError',
    code: 'Forbidden.RAM',
    statusCode: 403,
    data: { Message: 'denied' },
  });

function sequence(...outcomes: Array<Error | string>) {
  let i = 0;
  const fn = jest.fn(async () => {
    const o = outcomes[Math.min(i++, outcomes.length - 1)]!;
    if (o instanceof Error) throw o;
    return o;
  });
  return fn;
}

function recordingSleep() {
  const waits: number[] = [];
  return {
    waits,
    clock: {
      sleep: async (ms: number) => {
        waits.push(ms);
      },
    },
  };
}

test.each([
  ['throttling', throttled(), 'throttled'],
  ['HTTP 5xx', serverError(), 'server'],
  ['connection reset', reset(), 'network'],
  ['read timeout', timeout(), 'timeout'],
  ['client error', forbidden(), 'client'],
])('classifies %s', (_n, err, kind) => {
  expect(classifyFailure(err)).toBe(kind);
});

test('retries retryable failures with exponential backoff and full jitter, then returns the result', async () => {
  const { waits, clock } = recordingSleep();
  const fn = sequence(throttled(), serverError(), reset(), timeout(), 'ok');
  const res = await withRetry(ctx, fn, { policy: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 }, clock, random: () => 0.5 });
  expect(res).toBe('ok');
  expect(fn).toHaveBeenCalledTimes(5);
  expect(waits).toEqual([50, 100, 200, 400]);
});

test('backoff is capped by maxDelayMs and honours the gateway retry-after', async () => {
  const { waits, clock } = recordingSleep();
  await withRetry(ctx, sequence(serverError(), serverError(), throttled(700), 'ok'), {
    policy: { maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 500 },
    clock,
    random: () => 0.99,
  });
  // 0.99 x 400 = 396, then the 500 cap; retry-after 700 is itself capped at maxDelayMs.
  expect(waits).toEqual([396, 495, 500]);
});

test('a non-retryable error passes through at once, wrapped with action, target and code', async () => {
  const { waits, clock } = recordingSleep();
  const fn = sequence(forbidden());
  const err = (await withRetry(ctx, fn, { clock }).catch((error: unknown) => error)) as AlibabaApiError;
  expect(fn).toHaveBeenCalledTimes(1);
  expect(waits).toEqual([]);
  expect(err).toBeInstanceOf(AlibabaApiError);
  expect(err.message).toBe("ROS GetStack for stack 'cdn' failed: Forbidden.RAM: denied");
  expect(err).toMatchObject({
    code: 'CLOUD_API',
    apiCode: 'Forbidden.RAM',
    statusCode: 403,
    requestId: undefined,
    kind: 'client',
    attempts: 1,
  });
});

test('gives up after maxAttempts; a network error never carries the request URL', async () => {
  const fn = sequence(reset());
  const err = (await withRetry(ctx, fn, { policy: { maxAttempts: 3 }, clock: { sleep: async () => undefined } }).catch(
    (error: unknown) => error,
  )) as AlibabaApiError;
  expect(fn).toHaveBeenCalledTimes(3);
  expect(err.message).toBe(
    "ROS GetStack for stack 'cdn' failed after 3 attempts: ECONNRESET: the connection to the API endpoint failed (connection reset or refused)",
  );
  expect(err.message).not.toContain('s3cr3t');
});

test('server messages are redacted', async () => {
  const leaky = Object.assign(new Error('x'), {
    name: 'ClientError',
    code: 'InvalidParameter',
    statusCode: 400,
    data: { Message: 'value top-secret-value is invalid' },
  });
  const err = (await withRetry(ctx, sequence(leaky), { redactor: new SecretRedactor(['top-secret-value']) }).catch(
    (error: unknown) => error,
  )) as Error;
  expect(err.message).toBe("ROS GetStack for stack 'cdn' failed: InvalidParameter: value **** is invalid");
});

test('rejects a policy without attempts', async () => {
  await expect(withRetry(ctx, sequence('ok'), { policy: { maxAttempts: 0 } })).rejects.toThrow(
    'retry maxAttempts must be a whole number >= 1, got 0',
  );
});

test('LastTokenProcessing (documented: the earlier request with this ClientToken is still being processed) is retried', async () => {
  const processing = Object.assign(new Error('LastTokenProcessing: code: 409, The last token request is processing.'), {
    code: 'LastTokenProcessing',
    statusCode: 409,
  });
  expect(classifyFailure(processing)).toBe('token-processing');
  const { clock } = recordingSleep();
  await expect(withRetry(ctx, sequence(processing, processing, 'ok'), { clock, random: () => 0.5 })).resolves.toBe('ok');
});

test('the default budget outlasts a throttling spell of tens of seconds, with jitter', async () => {
  let slept = 0;
  const clock = {
    sleep: async (ms: number) => {
      slept += ms;
    },
  };
  // Throttled until 40 s have passed; with the old 5 tries (3.75 s of backoff at most) this failed.
  const call = jest.fn(async () => {
    if (slept < 40_000) throw throttled();
    return 'ok';
  });
  await expect(withRetry(ctx, call, { clock, random: () => 0.5 })).resolves.toBe('ok');
  // Jitter spreads the retries of many clients; the total stays bounded (about two minutes at most).
  expect(slept).toBeLessThanOrEqual(131_000);
});
