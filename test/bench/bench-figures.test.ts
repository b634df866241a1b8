import { deriveFigures, TARGETS } from '../../scripts/bench/run-bench';
import { median, summarize } from '../../scripts/bench/measure';
import { stageWithSites } from '../../scripts/bench/many-sites-stage';
import { parseStage } from '../../lib/config/load-stage';

/** The bench's arithmetic: what it reports against the targets must follow from the measurements. */
describe('bench figures', () => {
  test('median of odd and even counts, and min-max of a summary', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no values');
    expect(
      summarize([
        { wallMs: 300, peakRssMb: 10 },
        { wallMs: 100, peakRssMb: 30 },
        { wallMs: 200, peakRssMb: 20 },
      ]),
    ).toEqual({
      runs: 3,
      medianMs: 200,
      minMs: 100,
      maxMs: 300,
      medianPeakRssMb: 20,
      maxPeakRssMb: 30,
    });
  });

  const row = (key: string, medianMs: number, maxPeakRssMb = 100) => ({
    key,
    label: key,
    command: key,
    summary: { runs: 1, medianMs, minMs: medianMs, maxMs: medianMs, medianPeakRssMb: maxPeakRssMb, maxPeakRssMb },
  });

  test('ratios and per-site cost come from the medians, and each is checked against its target', () => {
    const { ratios } = deriveFigures([
      row('baselineTsNode', 14_000),
      row('baselinePlainJs', 2_000),
      row('synth1', 2_500),
      row('synth10', 2_860),
      row('synth50', 4_950, 520),
      row('test', 19_000),
    ]);
    expect(ratios).toEqual([
      { what: 'npm run synth (1 site) ÷ plain-JS baseline', value: 1.25, target: `≤ ${TARGETS.synthToPlainJsRatio}×`, met: true },
      { what: 'cdk init (ts-node) baseline ÷ npm run synth (1 site)', value: 5.6 },
      { what: 'ms per further site (1 → 10 sites)', value: 40, target: '≤ 40 ms', met: true },
      { what: 'ms per further site (1 → 50 sites)', value: (4_950 - 2_500) / 49, target: '≤ 40 ms', met: false },
      { what: 'peak memory of synth, 50 sites (MB, worst run)', value: 520, target: '≤ 500 MB', met: false },
      { what: 'cold npm test (s, median)', value: 19, target: '≤ 20 s', met: true },
    ]);
  });

  test('a partial run reports only the figures it has measurements for', () => {
    expect(deriveFigures([row('synth1', 2_500), row('synth10', 2_600)]).ratios.map((ratio) => ratio.what)).toEqual([
      'ms per further site (1 → 10 sites)',
    ]);
  });

  test('the synthesized stages are valid stages with the asked number of distinct sites', () => {
    expect(parseStage(stageWithSites(1), 'example').sites.map((site) => site.domain)).toEqual(['test.test.com']);
    const fifty = parseStage(stageWithSites(50), 'example');
    expect(new Set(fifty.sites.map((site) => site.bucket.name)).size).toBe(50);
    expect(fifty.sites[49].domain).toBe('site49.test.com');
  });
});
