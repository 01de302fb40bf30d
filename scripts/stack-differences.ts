/**
 * Which stacks of one synthesis are other Terraform than the stack of the same id in another:
 * the tests plan the all-features example (config/examples/all-features.yaml) only where it
 * differs from the bundled example, since a stack that does not differ plans as the example's does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_DIGEST_COMMENT } from '../config/digest';
import type { SynthesizedStack } from './stack-graph';

/** A stack's Terraform JSON with its synthesis folder written as `<outdir>` and without the config digest. */
function comparable(dir: string, outdir: string): string | undefined {
  const file = path.join(dir, 'cdk.tf.json');
  if (!fs.existsSync(file)) return undefined;
  const json = JSON.parse(fs.readFileSync(file, 'utf8').split(outdir).join('<outdir>'));
  // every stack records the digest of its whole config: two configs differ there, whatever the stack
  const [comment, section, digest] = CONFIG_DIGEST_COMMENT;
  delete json[comment]?.[section]?.[digest];
  return JSON.stringify(json);
}

/**
 * Whether a stack synthesized into `outdir` differs from the stack of the same id synthesized into
 * `baseOutdir` (with the same target), the folders (state paths and assets name them) and the
 * config digest aside. A stack the base lacks differs.
 */
export function differsFrom(baseOutdir: string, outdir: string): (stack: SynthesizedStack) => boolean {
  return (stack) => comparable(stack.dir, outdir) !== comparable(path.join(baseOutdir, path.relative(outdir, stack.dir)), baseOutdir);
}

/**
 * The given stacks, of each family of one stack per region (ids ending in `-REGION`) only those
 * whose Terraform differs from every earlier member's once each one's region is written as
 * `<region>`: the rest are the same Terraform in another region, and plan alike. Stacks of no
 * region are all kept.
 */
export function oneOfEachRegionalFamily(stacks: readonly SynthesizedStack[], outdir: string, regions: readonly string[]): SynthesizedStack[] {
  const seen = new Set<string>();
  return stacks.filter((stack) => {
    const region = [...regions].sort((a, b) => b.length - a.length).find((r) => stack.id.endsWith(`-${r}`));
    if (!region) return true;
    const family = stack.id.slice(0, -region.length);
    const content = comparable(stack.dir, outdir);
    // providers' aliases write the region with underscores
    const key = `${family}\n${content?.split(region).join('<region>').split(region.replace(/-/g, '_')).join('<region>')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
