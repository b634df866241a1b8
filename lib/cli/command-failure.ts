import { exitCodeFor, errorMessage, type ExitStatus } from '../errors';

/**
 * Every command ends a failure here: the message for the user, and the exit status its error code stands for, so
 * "a configuration error exits 2" holds for each command without each one deciding it again.
 */
export function reportCommandFailure(error: unknown, print: (text: string) => void = console.error): ExitStatus {
  print(errorMessage(error));
  return exitCodeFor(error);
}
