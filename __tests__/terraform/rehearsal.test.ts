/**
 * The stacks the rehearsal applies, with what the emulator cannot hold removed, are still valid
 * Terraform: one of each family of per-region stacks that are the same Terraform in another region.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeExcludedResources } from '../../scripts/moto';
import { rehearsalConfig } from '../../scripts/rehearse';
import { oneOfEachRegionalFamily } from '../../scripts/stack-differences';
import { synthesize } from '../../scripts/synth';
import { terraformEnvironment, validateStacks } from '../../scripts/terraform';
import { emulatedOrganization, exampleRaw } from '../helpers';

jest.setTimeout(5 * 60 * 1000);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-validate-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

test('every rewritten stack passes terraform validate', async () => {
  const state = path.join(workDir, 'state');
  const config = rehearsalConfig(exampleRaw(), emulatedOrganization(), state);
  const outdir = path.join(workDir, 'emulator');
  const stacks = synthesize(config, { outdir, target: 'emulator', localStateDirectory: state });
  const env = terraformEnvironment(path.join(workDir, 'cli'));
  let removed = 0;
  for (const stack of stacks) {
    const file = path.join(stack.dir, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    removed += removeExcludedResources(json).length;
    fs.writeFileSync(file, JSON.stringify(json));
  }
  expect(removed).toBeGreaterThan(0);
  const chosen = oneOfEachRegionalFamily(stacks, outdir, config.governedRegions);
  // the home region's stack records the global resource types; every other region's is the same Terraform
  const regional = chosen.filter((s) => s.id.startsWith('guardduty-')).map((s) => s.id);
  expect(regional).toHaveLength(2);
  expect(regional).toContain(`guardduty-${config.homeRegion}`);
  await validateStacks(chosen, path.join(workDir, 'validate-all'), env);
});
