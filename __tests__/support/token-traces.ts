/**
 * cdktf records a full stack trace for every token it creates (for its error messages). Under
 * jest, source-map-support maps every frame of every such trace back to TypeScript, which was
 * about half of what building the landing zone cost in a test. cdktf captures its traces on plain
 * objects, not on Errors: those are formatted without source maps here, while the traces of real
 * errors, which tests print, keep theirs.
 */
const mapped = Error.prepareStackTrace;

Error.prepareStackTrace = (error: unknown, callSites: NodeJS.CallSite[]) =>
  error instanceof Error || !mapped ? mapped?.(error as Error, callSites) : `Trace\n${callSites.map((site) => `    at ${String(site)}`).join('\n')}`;
