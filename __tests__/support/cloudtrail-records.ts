/** The real CloudTrail records vendored for the tests (sources and licences: __tests__/fixtures/README.md). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface VendoredRecord {
  readonly source: string;
  readonly license: string;
  readonly path: string;
  readonly eventID?: string;
  readonly test_name?: string;
  readonly event: Record<string, any>;
}

export const CLOUDTRAIL_RECORDS_FILE = path.join(__dirname, '..', 'fixtures', 'cloudtrail-records.jsonl');

export function vendoredRecords(): VendoredRecord[] {
  return fs
    .readFileSync(CLOUDTRAIL_RECORDS_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as VendoredRecord);
}
