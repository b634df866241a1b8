import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_DIR } from './stage-fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sequencer is CommonJS, as jest loads it
const SlowFirstSequencer: any = require('./test-sequencer.js');
const KNOWN_SLOW_MS: Record<string, number> = SlowFirstSequencer.KNOWN_SLOW_MS;

/** A sequencer whose recorded timings are given, instead of read from jest's cache folder. */
function sequencerWith(timings: Record<string, number>) {
  return new (class extends SlowFirstSequencer {
    time(test: { path: string }) {
      return timings[test.path];
    }
  })();
}

const context = { config: { rootDir: PROJECT_DIR, cache: false }, hasteFS: { getSize: (file: string) => sizes[file] ?? 0 } };
const testAt = (relative: string) => ({ path: path.join(PROJECT_DIR, relative), context });
const sizes: Record<string, number> = {};
const order = (tests: Array<{ path: string }>) => tests.map((test) => path.relative(PROJECT_DIR, test.path));

describe('the slow-first test sequencer', () => {
  const small = 'test/deploy/reporter.test.ts';
  const big = 'test/config/load-stage.test.ts';
  sizes[path.join(PROJECT_DIR, small)] = 1_000;
  sizes[path.join(PROJECT_DIR, big)] = 20_000;

  test('without timings, the files known to be slow run first, slowest first, then the rest by size', () => {
    const tests = [
      small,
      'test/aws/rule-packs.test.ts',
      big,
      'test/deploy/stage-operations.test.ts',
      'test/deploy/fifty-sites.test.ts',
    ].map(testAt);
    expect(order(sequencerWith({}).sort(tests))).toEqual([
      'test/deploy/stage-operations.test.ts',
      'test/deploy/fifty-sites.test.ts',
      'test/aws/rule-packs.test.ts',
      big,
      small,
    ]);
  });

  test("once every file has a timing, jest's own longest-first order is kept", () => {
    const tests = [small, 'test/aws/rule-packs.test.ts', big].map(testAt);
    const timings = { [tests[0].path]: 5_000, [tests[1].path]: 100, [tests[2].path]: 900 };
    expect(order(sequencerWith(timings).sort(tests))).toEqual([small, big, 'test/aws/rule-packs.test.ts']);
  });

  test('every file named as slow exists, so a rename cannot silently drop it from the front', () => {
    for (const file of Object.keys(KNOWN_SLOW_MS)) expect(fs.existsSync(path.join(PROJECT_DIR, file))).toBe(true);
  });
});
