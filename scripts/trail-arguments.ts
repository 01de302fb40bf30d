/** The arguments `verify-logs` and `generate-trail` share: where the trail delivers, and when. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseTrailArn, type TrailLocation } from '../lambda/integrity/layout';

export const TRAIL_OPTIONS = {
  's3-bucket': { type: 'string' },
  'organization-id': { type: 'string' },
  'trail-arn': { type: 'string' },
  's3-prefix': { type: 'string' },
  'start-time': { type: 'string' },
  'end-time': { type: 'string' },
  'account-id': { type: 'string', multiple: true },
  region: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses the command line leniently, so that one unknown option or missing value does not hide
 * the other problems: each goes into `problems`, and the values that could be read are returned.
 */
export function parseOptions(argv: readonly string[], options: Options, problems: string[]): Record<string, string | boolean | string[] | undefined> {
  const { values, positionals } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true });
  for (const name of Object.keys(values)) if (!(name in options)) problems.push(`unknown option --${name}`);
  for (const [name, option] of Object.entries(options)) {
    const value = values[name];
    const given = Array.isArray(value) ? value : value === undefined ? [] : [value];
    if (option.type === 'string' && given.some((v) => typeof v !== 'string')) problems.push(`--${name} needs a value`);
    if (option.type === 'boolean' && given.some((v) => typeof v !== 'boolean')) problems.push(`--${name} takes no value`);
  }
  if (positionals.length > 0) problems.push(`unexpected argument${positionals.length > 1 ? 's' : ''} ${positionals.join(' ')}: every argument is an --option`);
  return values;
}

export interface TrailArgumentValues {
  readonly 's3-bucket'?: string;
  readonly 'organization-id'?: string;
  readonly 'trail-arn'?: string;
  readonly 's3-prefix'?: string;
  readonly 'start-time'?: string;
  readonly 'end-time'?: string;
  readonly 'account-id'?: string[];
  readonly region?: string[];
}

export interface TrailArguments {
  readonly location: TrailLocation;
  readonly start: Date;
  readonly end?: Date;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
}

/** An ISO 8601 time or day; one without a zone is read as UTC (CloudTrail's times all are). */
export function parseTime(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const zoned = /T|\s/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** Reads the shared arguments; every problem goes into `problems` (with the fix), and nothing is returned then. */
export function trailArguments(values: TrailArgumentValues, problems: string[]): TrailArguments | undefined {
  const required = (name: keyof TrailArgumentValues, example: string) => {
    const value = values[name];
    if (typeof value !== 'string' || value === '') problems.push(`--${name} is required, e.g. --${name} ${example}`);
    return typeof value === 'string' ? value : '';
  };
  const bucket = required('s3-bucket', 'acme-log-archive-222222222222-eu-west-1');
  const organizationId = required('organization-id', 'o-acme12ab34');
  const trailArn = required('trail-arn', 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail');
  const startText = required('start-time', '2026-03-01T00:00:00Z');
  if (organizationId && !/^o-[a-z0-9]{10,32}$/.test(organizationId)) problems.push(`--organization-id ${organizationId} is not an organization id: "o-" and 10-32 lower-case letters or digits`);
  const trail = trailArn ? parseTrailArn(trailArn) : undefined;
  if (trailArn && !trail) problems.push(`--trail-arn ${trailArn} is not a trail ARN: arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`);
  const start = startText ? parseTime(startText) : undefined;
  if (startText && !start) problems.push(`--start-time ${startText} is not an ISO 8601 time: write 2026-03-01 or 2026-03-01T00:00:00Z`);
  const end = values['end-time'] === undefined ? undefined : parseTime(values['end-time']);
  if (values['end-time'] !== undefined && !end) problems.push(`--end-time ${values['end-time']} is not an ISO 8601 time: write 2026-03-31 or 2026-03-31T23:59:59Z`);
  if (start && end && end <= start) problems.push(`--end-time ${values['end-time']} is not after --start-time ${startText}`);
  for (const account of values['account-id'] ?? []) if (!/^\d{12}$/.test(account)) problems.push(`--account-id ${account} is not an account id (12 digits)`);
  for (const region of values.region ?? []) if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) problems.push(`--region ${region} is not a region name such as eu-west-1`);
  const prefix = (values['s3-prefix'] ?? '').replace(/^\/+|\/+$/g, '');
  if (problems.length > 0 || !trail || !start) return undefined;
  return {
    location: { bucket, prefix, organizationId, trailName: trail.name, homeRegion: trail.region },
    start,
    end,
    accounts: values['account-id']?.length ? values['account-id'] : undefined,
    regions: values.region?.length ? values.region : undefined,
  };
}
