/**
 * cdktf captures and formats a full stack trace for every token it creates (tens of thousands in a
 * synth of the landing zone), to print only if that token later fails to resolve. Formatting them
 * was most of the time it took to build the stacks (600 ms of a 1.8 s synth of the example; a
 * tenth of the unit tests' CPU). Once this is installed, a trace captured on anything but an Error
 * is empty: cdktf then keeps no creation stack for its tokens. `buildLandingZone` installs it; the
 * tests' setup (`__tests__/support/test-process.ts`) installs it for the tests that build a construct
 * on a bare stack. The traces of real errors are formatted as before, source maps included.
 *
 * To see where an unresolvable token was made, set `LZ_TOKEN_TRACES=1`: nothing is installed.
 */
import { types } from 'node:util';

let installed = false;

export function skipTokenTraces(): void {
  if (installed || process.env.LZ_TOKEN_TRACES === '1') return;
  const format = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error, callSites: NodeJS.CallSite[]) => {
    // isNativeError, not instanceof: an Error made in another realm (a vm context) counts too
    if (!types.isNativeError(error)) return '';
    return format ? format(error, callSites) : `${String(error)}\n${callSites.map((site) => `    at ${String(site)}`).join('\n')}`;
  };
  installed = true;
}
