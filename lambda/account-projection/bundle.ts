/** The account projection function's code, bundled at synth (lambda/bundle.ts). */
import { bundleFunction } from '../bundle';

/** Returns the path of the zip to deploy as the function's code (`index.js` exporting `handler`). */
export function bundleAccountProjection(): string {
  return bundleFunction('account-projection');
}
