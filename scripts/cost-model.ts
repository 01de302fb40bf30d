/**
 * `npm run cost-model -- [--accounts 50,1000] [--files-per-day N] [--small-kb N] [--large-share F] [--large-kb N]`:
 * the monthly S3 bill of the Log Archive once it holds a whole retention (steady state), for the
 * lifecycle of the config in use (`LZ_CONFIG`, else the example), compared with keeping everything
 * in S3 Standard and with letting small files move too. Prices and per-object overheads come from
 * facts/s3-pricing.ts; the workload is an assumption, printed with the result (docs/archive.md).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../config/loader';
import { ARCHIVAL_STORAGE_CLASSES, TRANSITION_MINIMUM_OBJECT_BYTES } from '../facts/s3';
import {
  ARCHIVED_CLASSES,
  ARCHIVED_OBJECT_OVERHEAD_KB,
  MINIMUM_BILLABLE_KB,
  PUT_PER_1000,
  STANDARD_TIERS,
  STORAGE_PER_GB_MONTH,
  TRANSITION_PER_1000,
} from '../facts/s3-pricing';

/** What an organization writes into the archive, per member account and day. */
export interface Workload {
  /** CloudTrail log files per account and day (a file about every 5 minutes per active region). */
  readonly logFilesPerAccountDay: number;
  /** Share of the log files of 128 KB or more (busy accounts and regions). */
  readonly largeFileShare: number;
  /** Average size of the other log files, KB (gzip-compressed JSON). */
  readonly smallFileKb: number;
  /** Average size of the large ones, KB. */
  readonly largeFileKb: number;
  /** Digest files per account and day: one per region and hour. */
  readonly digestFilesPerAccountDay: number;
  readonly digestFileKb: number;
}

/** Assumed for the tables in docs/archive.md: a moderately busy account, 17 governed regions. */
export const TYPICAL_WORKLOAD: Workload = {
  logFilesPerAccountDay: 1500,
  largeFileShare: 0.03,
  smallFileKb: 12,
  largeFileKb: 400,
  digestFilesPerAccountDay: 24 * 17,
  digestFileKb: 2,
};

export interface ArchiveLifecycle {
  readonly transitions: ReadonlyArray<{ readonly days: number; readonly storageClass: string }>;
  /** Day on which a file's data is deleted (expiration plus noncurrent expiration). */
  readonly deletedAfterDays: number;
}

/**
 * Which files the transitions move: `none` keeps everything in Standard; `128K` (the landing
 * zone's choice, S3's `all_storage_classes_128K`) moves only files of 128 KB or more;
 * `varies_by_storage_class` lets smaller ones go to Glacier and Deep Archive as well.
 */
export type Strategy = 'none' | '128K' | 'varies_by_storage_class';

export interface MonthlyCost {
  readonly strategy: Strategy;
  readonly objects: number;
  readonly storedGb: number;
  readonly storage: number;
  readonly requests: number;
  readonly total: number;
}

const DAYS_PER_MONTH = 365.25 / 12;
const KB_PER_GB = 1024 * 1024;

function standardPrice(gb: number): number {
  let cost = 0;
  let below = 0;
  for (const tier of STANDARD_TIERS) {
    const inTier = Math.max(0, Math.min(gb, tier.upToGb) - below);
    cost += inTier * tier.perGbMonth;
    below = tier.upToGb;
  }
  return cost;
}

/** The classes an object of this size passes through, with the days it enters each. */
function classesOf(sizeKb: number, lifecycle: ArchiveLifecycle, strategy: Strategy): Array<{ storageClass: string; from: number }> {
  const large = sizeKb * 1024 >= TRANSITION_MINIMUM_OBJECT_BYTES;
  const moves = lifecycle.transitions.filter((t) => {
    if (strategy === 'none') return false;
    if (large) return true;
    return strategy === 'varies_by_storage_class' && ARCHIVAL_STORAGE_CLASSES.includes(t.storageClass);
  });
  return [{ storageClass: 'STANDARD', from: 0 }, ...moves.map((t) => ({ storageClass: t.storageClass, from: t.days }))];
}

/** The archive's monthly bill once files of every age up to deletion are in it. */
export function monthlyCost(accounts: number, workload: Workload, lifecycle: ArchiveLifecycle, strategy: Strategy): MonthlyCost {
  const populations = [
    { perDay: accounts * workload.logFilesPerAccountDay * (1 - workload.largeFileShare), kb: workload.smallFileKb },
    { perDay: accounts * workload.logFilesPerAccountDay * workload.largeFileShare, kb: workload.largeFileKb },
    { perDay: accounts * workload.digestFilesPerAccountDay, kb: workload.digestFileKb },
  ];
  let standardGb = 0;
  let otherStorage = 0;
  let storedGb = 0;
  let objects = 0;
  let requests = 0;
  for (const p of populations) {
    const stages = classesOf(p.kb, lifecycle, strategy);
    objects += p.perDay * lifecycle.deletedAfterDays;
    storedGb += (p.perDay * lifecycle.deletedAfterDays * p.kb) / KB_PER_GB;
    requests += (p.perDay * DAYS_PER_MONTH * PUT_PER_1000) / 1000;
    stages.forEach((stage, i) => {
      const until = stages[i + 1]?.from ?? lifecycle.deletedAfterDays;
      const resident = p.perDay * Math.max(0, until - stage.from);
      if (stage.storageClass === 'STANDARD') {
        standardGb += (resident * p.kb) / KB_PER_GB;
        return;
      }
      requests += (p.perDay * DAYS_PER_MONTH * TRANSITION_PER_1000[stage.storageClass]) / 1000;
      const billedKb = Math.max(p.kb, MINIMUM_BILLABLE_KB[stage.storageClass] ?? 0);
      if (ARCHIVED_CLASSES.includes(stage.storageClass)) {
        otherStorage += ((resident * (billedKb + ARCHIVED_OBJECT_OVERHEAD_KB.atClassRate)) / KB_PER_GB) * STORAGE_PER_GB_MONTH[stage.storageClass];
        standardGb += (resident * ARCHIVED_OBJECT_OVERHEAD_KB.atStandardRate) / KB_PER_GB;
      } else {
        otherStorage += ((resident * billedKb) / KB_PER_GB) * STORAGE_PER_GB_MONTH[stage.storageClass];
      }
    });
  }
  const storage = standardPrice(standardGb) + otherStorage;
  return { strategy, objects, storedGb, storage, requests, total: storage + requests };
}

const STRATEGY_TITLES: Record<Strategy, string> = {
  none: 'everything in S3 Standard',
  '128K': 'this landing zone: files of 128 KB or more move',
  varies_by_storage_class: 'small files move too (`varies_by_storage_class`)',
};

function dollars(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 })}`;
}

/** The markdown table of docs/archive.md: one block of rows per organization size. */
export function costTable(accountCounts: readonly number[], workload: Workload, lifecycle: ArchiveLifecycle): string {
  const rows = ['| accounts | lifecycle | objects kept | data kept | storage / month | requests / month | total / month |', '| ---: | --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const accounts of accountCounts) {
    for (const strategy of ['none', '128K', 'varies_by_storage_class'] as const) {
      const c = monthlyCost(accounts, workload, lifecycle, strategy);
      rows.push(`| ${accounts.toLocaleString('en-US')} | ${STRATEGY_TITLES[strategy]} | ${Math.round(c.objects / 1e6).toLocaleString('en-US')} million | ${(c.storedGb / 1024).toFixed(1)} TB | ${dollars(c.storage)} | ${dollars(c.requests)} | ${dollars(c.total)} |`);
    }
  }
  return `${rows.join('\n')}\n`;
}

/** The lifecycle a config gives the archive; without expiry, files are counted up to the Object Lock retention. */
export function archiveLifecycleOf(archive: { transitions: ArchiveLifecycle['transitions']; expirationDays?: number; noncurrentVersionExpirationDays?: number; objectLock: { retentionDays: number } }): ArchiveLifecycle {
  return {
    transitions: archive.transitions,
    deletedAfterDays: archive.expirationDays !== undefined
      ? archive.expirationDays + (archive.noncurrentVersionExpirationDays ?? 0)
      : archive.objectLock.retentionDays,
  };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '50,1000' },
      'files-per-day': { type: 'string' },
      'small-kb': { type: 'string' },
      'large-share': { type: 'string' },
      'large-kb': { type: 'string' },
    },
  });
  const number = (name: string, value: string | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) {
      console.error(`--${name} must be a non-negative number, not ${JSON.stringify(value)}`);
      process.exit(2);
    }
    return n;
  };
  const file = process.env.LZ_CONFIG ?? EXAMPLE_CONFIG_PATH;
  const config = loadConfig(file);
  const workload: Workload = {
    ...TYPICAL_WORKLOAD,
    logFilesPerAccountDay: number('files-per-day', values['files-per-day'], TYPICAL_WORKLOAD.logFilesPerAccountDay),
    smallFileKb: number('small-kb', values['small-kb'], TYPICAL_WORKLOAD.smallFileKb),
    largeFileShare: number('large-share', values['large-share'], TYPICAL_WORKLOAD.largeFileShare),
    largeFileKb: number('large-kb', values['large-kb'], TYPICAL_WORKLOAD.largeFileKb),
    digestFilesPerAccountDay: 24 * config.governedRegions.length,
  };
  const accounts = values.accounts.split(',').map((a) => number('accounts', a.trim(), 0));
  const lifecycle = archiveLifecycleOf(config.archive);
  console.log(`config: ${path.relative(process.cwd(), file)}; files kept ${lifecycle.deletedAfterDays} days; transitions ${lifecycle.transitions.map((t) => `${t.storageClass} at day ${t.days}`).join(', ') || 'none'}`);
  console.log(`workload per account and day: ${workload.logFilesPerAccountDay} log files (${workload.largeFileShare * 100}% of ${workload.largeFileKb} KB, the rest ${workload.smallFileKb} KB), ${workload.digestFilesPerAccountDay} digest files of ${workload.digestFileKb} KB`);
  console.log('');
  process.stdout.write(costTable(accounts, workload, lifecycle));
}
