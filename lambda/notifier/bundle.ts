/** The notifier's code, bundled at synth (lambda/bundle.ts). */
import { bundleFunction } from '../bundle';

export { zipOneFile } from '../bundle';

/** Returns the path of the zip to deploy as the notifier's code (`index.js` exporting `handler`). */
export function bundleNotifier(): string {
  return bundleFunction('notifier');
}
