#!/usr/bin/env node
// The project's command line (see lib/cli/program.ts for its commands and exit statuses).
import { runProgram } from '../lib/cli/program';

// `npm run synth | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

void runProgram(process.argv);
