// Each test worker thread loads TypeScript through tsx (import and require): the main thread's hooks do not reach it.
import { register as registerRequire } from 'tsx/cjs/api';
import { register as registerImport } from 'tsx/esm/api';

registerRequire();
registerImport();
