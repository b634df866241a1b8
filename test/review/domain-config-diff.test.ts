import { diffFunctionLists } from '../../lib/review/domain-config-diff';
import { REDACTED, Redactor } from '../../lib/review/secret-redaction';

const fn = (name: string, args: Record<string, unknown>) => ({
  FunctionName: name,
  FunctionArgs: Object.entries(args).map(([ArgName, ArgValue]) => ({ ArgName, ArgValue })),
});
const redactor = new Redactor();

describe('diffFunctionLists', () => {
  test('reports added and removed functions with all their args', () => {
    const before = [fn('https_force', { enable: 'on', https_rewrite: '301' })];
    const after = [fn('HSTS', { enabled: 'on', https_hsts_max_age: '5184000' })];

    expect(diffFunctionLists(before, after, redactor)).toEqual([
      {
        functionName: 'https_force',
        kind: 'removed',
        args: [
          { argName: 'enable', before: 'on', after: undefined },
          { argName: 'https_rewrite', before: '301', after: undefined },
        ],
      },
      {
        functionName: 'HSTS',
        kind: 'added',
        args: [
          { argName: 'enabled', before: undefined, after: 'on' },
          { argName: 'https_hsts_max_age', before: undefined, after: '5184000' },
        ],
      },
    ]);
  });

  test('pairs functions of the same name by their shared args, not by position', () => {
    const before = [
      fn('origin_request_header', { header_operation_type: 'add', header_name: 'X-Site', header_value: 'a', duplicate: 'off' }),
      fn('origin_request_header', { header_operation_type: 'add', header_name: 'X-Trace', header_value: 'on', duplicate: 'off' }),
    ];
    const after = [
      fn('origin_request_header', { header_operation_type: 'add', header_name: 'X-Trace', header_value: 'on', duplicate: 'off' }),
      fn('origin_request_header', { header_operation_type: 'add', header_name: 'X-Site', header_value: 'b', duplicate: 'off' }),
    ];

    expect(diffFunctionLists(before, after, redactor)).toEqual([
      { functionName: 'origin_request_header', kind: 'modified', args: [{ argName: 'header_value', before: 'a', after: 'b' }] },
    ]);
  });

  test('hides a Referer header value unless it is a plain URL, and hides signing keys', () => {
    const before = [
      fn('origin_request_header', { header_operation_type: 'add', header_name: 'Referer', header_value: 'https://test.test.com/' }),
      fn('aws_s3_bucket', { enabled: 'l2', secretkey: { Ref: 'ReaderSecretAccessKey' } }),
    ];
    const after = [
      fn('origin_request_header', { header_operation_type: 'add', header_name: 'Referer', header_value: 'correct-horse-battery' }),
      fn('aws_s3_bucket', { enabled: 'l2', secretkey: 'typed-in-by-mistake' }),
    ];

    expect(diffFunctionLists(before, after, redactor)).toEqual([
      {
        functionName: 'origin_request_header',
        kind: 'modified',
        args: [{ argName: 'header_value', before: 'https://test.test.com/', after: REDACTED }],
      },
      {
        functionName: 'aws_s3_bucket',
        kind: 'modified',
        args: [{ argName: 'secretkey', before: '{"Ref":"ReaderSecretAccessKey"}', after: REDACTED }],
      },
    ]);
  });

  test('gives up (undefined) on a list built with intrinsics, so the caller diffs it as a value', () => {
    expect(diffFunctionLists({ 'Fn::If': ['C', [], []] }, [], redactor)).toBeUndefined();
    expect(diffFunctionLists([{ FunctionArgs: [] }], [], redactor)).toBeUndefined();
  });

  test('identical lists in another order are no change', () => {
    const a = fn('gzip', { enable: 'on' });
    const b = fn('brotli', { enable: 'on' });
    expect(diffFunctionLists([a, b], [b, a], redactor)).toEqual([]);
  });
});
