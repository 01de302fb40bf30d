/**
 * `npm run json-schema`: writes config/schema.json from the zod schema, so editors complete and
 * check config files (`# yaml-language-server: $schema=./schema.json`). A test keeps it current.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { configSchema } from '../config/schema';

export const JSON_SCHEMA_PATH = path.join(__dirname, '..', 'config', 'schema.json');

export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
  return `${JSON.stringify({ title: 'Audit landing zone configuration', ...schema }, null, 2)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(JSON_SCHEMA_PATH, renderJsonSchema());
  console.log(`wrote ${path.relative(process.cwd(), JSON_SCHEMA_PATH)}`);
}
