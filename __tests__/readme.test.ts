import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCEPTED } from '../modules/core/checkov';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

test('the README lists every Checkov finding the project accepts, with its reason', () => {
  for (const skip of Object.values(ACCEPTED)) {
    expect(readme).toMatch(new RegExp(`\\| ${skip.id} \\| [^|]+ \\| ${skip.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|`));
  }
});

test('the README starts with the two commands for a fresh machine', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  expect(firstBlock.split('\n')[0]).toMatch(/^npm ci && npm run validate\b/);
  expect(firstBlock.split('\n')[1]).toMatch(/^npm test\b/);
  const scripts = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(scripts.validate).toContain('scripts/synth.ts');
  expect(fs.readFileSync(path.join(__dirname, '..', '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
});
