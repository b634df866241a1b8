// The layering of lib/, checked inside `npm test` (`npm run lint:deps`). Imports go downward only:
//
//   lib/errors.ts → lib/config → lib/origin-access → lib/aws, lib/ros, lib/ci-identity, lib/alibaba-api → lib/synth
//     → lib/deploy, lib/publish, lib/verify, lib/review → lib/cli → bin/
//
// A module may import its own layer and any layer below it; the siblings of one layer stay independent of each other
// (what two siblings share moves down a layer). tests and scripts may import anything.
const layers = [
  ['errors'],
  ['config'],
  ['origin-access'],
  ['aws', 'ros', 'ci-identity', 'alibaba-api'],
  ['synth'],
  ['deploy', 'publish', 'verify', 'review'],
  ['cli'],
];

const folderOf = (name) => (name === 'errors' ? '^lib/errors\\.ts$' : `^lib/${name}/`);
const either = (names) => `(${names.map(folderOf).join('|')})`;

const upward = layers.flatMap((layer, index) => {
  const above = layers.slice(index + 1).flat();
  if (above.length === 0) return [];
  return [
    {
      name: `no-upward-import-from-${layer.join('-')}`,
      comment: `${layer.join(', ')} sit below ${above.join(', ')}: move what both need down instead of importing upward.`,
      severity: 'error',
      from: { path: either(layer) },
      to: { path: `${either(above)}|^bin/` },
    },
  ];
});

const siblings = layers.flatMap((layer) =>
  layer.length < 2
    ? []
    : layer.map((name) => ({
        name: `no-sibling-import-from-${name}`,
        comment: `${name} and its siblings (${layer.join(', ')}) are independent: what they share belongs a layer below.`,
        severity: 'error',
        from: { path: folderOf(name) },
        to: { path: either(layer.filter((other) => other !== name)) },
      })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: one of the modules belongs in a lower layer.',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: { circular: true },
    },
    {
      name: 'no-lib-into-tests-or-scripts',
      comment: 'Shipped code never imports test or bench code.',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'no-unlayered-lib-module',
      comment: 'Every module of lib/ belongs to a layer: add its folder to .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: { path: '^lib/', pathNot: `${either(layers.flat())}` },
    },
    ...upward,
    ...siblings,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|ros\\.out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
