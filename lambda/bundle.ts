/**
 * Bundles a function of `lambda/<fn>/` with esbuild into `index.js` and zips it, at synth. The zip
 * is cached under a hash of the function's sources and of the bundler's version and options: a
 * synth whose sources did not change reuses it without starting esbuild or an archiver (about
 * 0.35 s), and the zip's bytes (so the function's code hash) change only when the code does.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { type BuildOptions, buildSync, version } from 'esbuild';

/** How every function is bundled; the entry point is the function's `index.ts`. */
const OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // the Node.js runtime provides the AWS SDK v3
  external: ['@aws-sdk/*'],
  legalComments: 'none',
  logLevel: 'silent',
};

/**
 * Hash of everything the bundle is made from: the function's sources, esbuild's version and options
 * (without the entry point's absolute path, so that every checkout of the same code names the same zip).
 */
function sourceHash(sourceDirectory: string): string {
  const hash = createHash('sha256').update(version).update(JSON.stringify(OPTIONS));
  for (const file of fs.readdirSync(sourceDirectory).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(sourceDirectory, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A zip archive holding one file, deflated, with a fixed time (1980-01-01) so that the same
 * content always gives the same bytes.
 */
export function zipOneFile(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name, 'utf8');
  const data = deflateRawSync(content, { level: 9 });
  const crc = crc32(content);
  const DOS_TIME = 0;
  const DOS_DATE = (1 << 5) | 1; // 1980-01-01
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); // local file header
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(DOS_TIME, 10);
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); // central directory header
  central.writeUInt16LE(0x0314, 4); // made by Unix, version 2.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(DOS_TIME, 12);
  central.writeUInt16LE(DOS_DATE, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
  central.writeUInt32LE(0, 42); // offset of the local header
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/**
 * Returns the path of the zip to deploy as the code of the function whose sources are in
 * `lambda/<name>/` (`index.js`, exporting what its `index.ts` exports). Every file the function
 * imports must be in that folder, so that the cache key sees every change.
 */
export function bundleFunction(name: string): string {
  const sourceDirectory = path.join(__dirname, name);
  const file = path.join(os.tmpdir(), `landing-zone-${name}`, `${sourceHash(sourceDirectory)}.zip`);
  if (fs.existsSync(file)) return file;
  const result = buildSync({ ...OPTIONS, entryPoints: [path.join(sourceDirectory, 'index.ts')], write: false });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // written aside and renamed, so parallel syntheses never read half a file
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, zipOneFile('index.js', Buffer.from(result.outputFiles[0].contents)));
  fs.renameSync(partial, file);
  return file;
}
