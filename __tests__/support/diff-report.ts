/** Reading `npm run diff`'s text report in the tests. */

/** The lines of the text report from an address's line to the next resource. */
export function linesOf(text: string, addressPrefix: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes(` ${addressPrefix}`));
  if (start < 0) throw new Error(`no resource ${addressPrefix} in\n${text}`);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('      '));
  return lines.slice(start, end);
}
