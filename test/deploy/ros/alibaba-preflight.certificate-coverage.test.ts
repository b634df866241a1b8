import { certificateNames, nameCovers, validUntilMs } from '../../../lib/deploy/ros/alibaba-preflight';

test.each([
  ['test.test.com', 'test.test.com', true],
  ['TEST.test.com.', 'test.test.com', true],
  ['*.test.com', 'cdn.test.com', true],
  ['*.test.com', 'test.com', false],
  ['*.test.com', 'a.cdn.test.com', false],
  ['*.test.com', '.test.com', false],
  ['test.com', 'cdn.test.com', false],
])('%s covers %s: %s', (name, domain, expected) => {
  expect(nameCovers(name, domain)).toBe(expected);
});

test('names come from Common and the comma-separated Sans, deduplicated', () => {
  expect(certificateNames({ common: 'a.com', sans: 'a.com, *.a.com,,B.com' })).toEqual(['a.com', '*.a.com', 'b.com']);
});

test('expiry from NotAfter in ms or s, else from EndDate; implausible values are not trusted', () => {
  expect(validUntilMs({ notAfter: 1_800_000_000_000 })).toBe(1_800_000_000_000);
  expect(validUntilMs({ notAfter: 1_800_000_000 })).toBe(1_800_000_000_000);
  expect(validUntilMs({ notAfter: 17_322_613_180_000, endDate: '2024-11-22' })).toBe(Date.parse('2024-11-22T00:00:00Z'));
  expect(validUntilMs({})).toBeUndefined();
});
