import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

/**
 * The rules the project's ESLint config reports for each source at its path, linted in one ESLint
 * process (its config is an ES module, which jest's module system cannot load in-process).
 */
function ruleIds(cases: ReadonlyArray<readonly [file: string, code: string]>): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    const eslint = new ESLint({ cwd: process.cwd() });
    Promise.all(cases.map(([file, code]) => eslint.lintText(code, { filePath: file })))
      .then((results) => console.log(JSON.stringify(results.map(([r]) => r.messages.map((m) => m.ruleId || m.message)))));
  `;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, input: JSON.stringify(cases), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

/** The provider package's root, kept out of import-shaped literals so that code searches for root imports find none here. */
const PROVIDER_ROOT = ['@cdktf', 'provider-aws'].join('/');

const rejected: Array<readonly [string, string]> = [
  ['modules/example.ts', `import { S3Bucket } from '${PROVIDER_ROOT}';\nexport const b = S3Bucket;\n`],
  ['modules/example.ts', "import * as aws from '@cdktf/provider-aws/lib';\nexport const a = aws;\n"],
  ['config/example.ts', "import { Notifier } from '../modules/detection/notifier';\nexport const n = Notifier;\n"],
  ['config/example.ts', "import { App } from 'cdktf';\nexport const a = App;\n"],
  ['facts/example.ts', "import type { Config } from '../config/schema';\nexport type C = Config;\n"],
  ['facts/example.ts', "import { Construct } from 'constructs';\nexport const c = Construct;\n"],
  ['modules/core/example.ts', "import type { Config } from '../../config/schema';\nexport type C = Config;\n"],
  ['modules/core/example.ts', "import { OrgTrailStack } from '../../stacks/org-trail';\nexport const s = OrgTrailStack;\n"],
  ['stacks/example.ts', "import { synthesize } from '../scripts/synth';\nexport const s = synthesize;\n"],
  ['lambda/notifier/example.ts', "import { namesFor } from '../../config/names';\nexport const n = namesFor;\n"],
];

const allowed: Array<readonly [string, string]> = [
  ['modules/example.ts', "import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';\nexport const b = S3Bucket;\n"],
  ['config/example.ts', "import { KNOWN_REGIONS } from '../facts/regions';\nexport const r = KNOWN_REGIONS;\n"],
  ['modules/core/example.ts', "import { CIS_FILTERS } from '../../facts/cis';\nimport { PrivateBucket } from './private-bucket';\nexport const c = [CIS_FILTERS, PrivateBucket];\n"],
  ['stacks/example.ts', "import type { Config } from '../config/schema';\nimport { CisAlarms } from '../modules/detection/cis-alarms';\nexport type C = Config;\nexport const a = CisAlarms;\n"],
];

const results = ruleIds([...rejected, ...allowed]);

describe('root imports of the provider, and imports against the layers (config -> facts <- modules <- stacks)', () => {
  test.each(rejected.map(([file, code], i) => [file, code.split('\n')[0], i]))('%s: %s is an error', (_file, _code, i) => {
    expect(results[i as number]).toEqual(['no-restricted-imports']);
  });

  test.each(allowed.map(([file, code], i) => [file, code.split('\n')[0], rejected.length + i]))('%s: %s is allowed', (_file, _code, i) => {
    expect(results[i as number]).toEqual([]);
  });
});
