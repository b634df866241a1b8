import { PUBLISH_TARGETS, publishFigures } from '../../scripts/bench/publish-bench';

const row = (
  key: string,
  medianMs: number,
  maxPeakRssMb = 150,
  detail?: { bytesUploaded: number; refreshedUrls: number; uploaded: number },
) => ({
  key,
  label: key,
  command: key,
  summary: { runs: 3, medianMs, minMs: medianMs, maxMs: medianMs, medianPeakRssMb: maxPeakRssMb, maxPeakRssMb },
  detail,
});

test('publish figures follow from the medians and are checked against the issue targets', () => {
  expect(
    publishFigures([
      row('publishFirst2000', 5_000),
      row('syncFirst2000', 11_000),
      row('publishAgain10000', 9_000, 180, { bytesUploaded: 0, refreshedUrls: 0, uploaded: 0 }),
      row('syncAgain10000', 50_000),
      row('publishOneGigabyte', 16_000, 176),
    ]),
  ).toEqual([
    { what: 'first upload, 2,000 files: aws s3 sync ÷ publish', value: 2.2, target: `≥ ${PUBLISH_TARGETS.firstUploadSpeedup}×`, met: true },
    { what: 'unchanged 10,000 files, fresh copy: aws s3 sync ÷ publish', value: 50_000 / 9_000, target: '≥ 1×', met: true },
    { what: 'unchanged re-publish: bytes uploaded', value: 0, target: '= 0', met: true },
    { what: 'unchanged re-publish: URLs refreshed', value: 0, target: '= 0', met: true },
    { what: 'peak memory publishing a 1 GB file (MB)', value: 176, target: '< 200 MB', met: true },
  ]);
});
