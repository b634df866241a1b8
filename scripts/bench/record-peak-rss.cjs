// Preloaded into every Node.js process a bench run starts (NODE_OPTIONS=--require): at exit, each process writes its
// own peak resident set size, so the bench can report the largest process of the tree (npm, tsx's child, workers).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.S3ALICDN_BENCH_RSS_DIR;
if (dir) {
  process.once('exit', () => {
    try {
      const peakKb = process.resourceUsage().maxRSS;
      fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ pid: process.pid, argv: process.argv.slice(1, 3), peakKb }));
    } catch {
      // A process that cannot write its figure only makes the report's peak a lower bound; never fail the command.
    }
  });
}
