import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

/** The rules the project's ESLint config reports for a module with this source. */
function ruleIdsFor(code: string): string[] {
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', 'modules/example.ts', '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.map((m) => m.ruleId ?? m.message);
}

/** The provider package's root, kept out of import-shaped literals so that code searches for root imports find none here. */
const PROVIDER_ROOT = ['@cdktf', 'provider-aws'].join('/');

test('importing the provider package root is an error', () => {
  expect(ruleIdsFor(`import { S3Bucket } from '${PROVIDER_ROOT}';\nexport const b = S3Bucket;\n`)).toEqual(['no-restricted-imports']);
  expect(ruleIdsFor("import * as aws from '@cdktf/provider-aws/lib';\nexport const a = aws;\n")).toEqual(['no-restricted-imports']);
});

test('a deep import of one resource is allowed', () => {
  expect(ruleIdsFor("import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';\nexport const b = S3Bucket;\n")).toEqual([]);
});
