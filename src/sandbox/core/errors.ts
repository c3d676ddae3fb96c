// The two errors the sandbox throws at its user: a bad option or setting, and a data file it cannot
// use. Apart from the modules that throw them, so the entry point can hand them out without loading
// the emulators.

/** A bad option, setting or control request: the message says what and how to fix it. */
export class SandboxInputError extends Error {
  override name = 'SandboxInputError';
}

/** The data file could not be used; the message names the file and what to do. */
export class DataFileError extends Error {
  override name = 'DataFileError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}
