/**
 * A problem the operator fixes by hand (a site file, a database folder in use): reported as its
 * message alone, without a stack trace, by the server (main.ts) and the db:* scripts.
 */
export class StartUpProblem extends Error {
  override name = 'StartUpProblem';
}
