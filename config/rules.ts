/**
 * Rules that relate fields to each other, run after the shape has been checked.
 * Each returns problems naming the field path and what would be valid.
 */
import type { Config } from './schema';
import { guarddutyStackId, namesFor, STACK_IDS } from './names';
import { MAX_SUBSCRIPTION_PATTERN_LENGTH, notifierFilterPattern } from '../facts/notifier';
import { OPT_IN_REGIONS } from '../facts/regions';
import { bucketNameProblem, MINIMUM_DAYS_IN_CLASS, MINIMUM_TRANSITION_DAYS, TRANSITION_ORDER } from '../facts/s3';

export interface Problem {
  /** Dotted path of the field, e.g. `archive.expirationDays`. */
  readonly path: string;
  readonly message: string;
}

interface Transition {
  readonly days: number;
  readonly storageClass: string;
}

/** Checks a lifecycle: ascending order, AWS's minimum days, expiration after the last move. */
export function lifecycleProblems(path: string, transitions: readonly Transition[], expirationDays?: number): Problem[] {
  const problems: Problem[] = [];
  transitions.forEach((t, i) => {
    const at = `${path}.transitions[${i}]`;
    const minimum = MINIMUM_TRANSITION_DAYS[t.storageClass] ?? 0;
    if (t.days < minimum) {
      problems.push({ path: `${at}.days`, message: `S3 moves objects to ${t.storageClass} no earlier than ${minimum} days after creation; use ${minimum} or more` });
    }
    const previous = transitions[i - 1];
    if (!previous) return;
    if (TRANSITION_ORDER.indexOf(t.storageClass) <= TRANSITION_ORDER.indexOf(previous.storageClass)) {
      problems.push({ path: `${at}.storageClass`, message: `${t.storageClass} cannot follow ${previous.storageClass}; order transitions as ${TRANSITION_ORDER.join(' → ')}` });
    }
    const earliest = previous.days + MINIMUM_DAYS_IN_CLASS[previous.storageClass];
    if (t.days <= previous.days || t.days < earliest) {
      problems.push({ path: `${at}.days`, message: `must be at least ${Math.max(earliest, previous.days + 1)}: objects stay ${MINIMUM_DAYS_IN_CLASS[previous.storageClass]} days in ${previous.storageClass} (transitions[${i - 1}] at day ${previous.days}) before moving on` });
    }
  });
  const last = transitions[transitions.length - 1];
  if (expirationDays !== undefined && last) {
    const earliest = last.days + MINIMUM_DAYS_IN_CLASS[last.storageClass];
    if (expirationDays < earliest) {
      problems.push({ path: `${path}.expirationDays`, message: `must be at least ${earliest}: objects stay ${MINIMUM_DAYS_IN_CLASS[last.storageClass]} days in ${last.storageClass} (from day ${last.days}) before they may expire` });
    }
  }
  return problems;
}

function accountProblems(config: Config): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const roles: Array<[string, string]> = [
    ['accounts.management.id', config.accounts.management.id],
    ['accounts.logArchive.id', config.accounts.logArchive.id],
    ['accounts.audit.id', config.accounts.audit.id],
    ...config.accounts.members.map((m, i): [string, string] => [`accounts.members[${i}].id`, m.id]),
  ];
  for (const [path, id] of roles) {
    const first = seen.get(id);
    if (first) {
      problems.push({ path, message: `account ${id} is already used by ${first}; the management, Log Archive, Audit and member accounts must all be different` });
    } else {
      seen.set(id, path);
    }
  }
  return problems;
}

function regionProblems(config: Config): Problem[] {
  const problems: Problem[] = [];
  const governed = config.governedRegions;
  if (!governed.includes(config.homeRegion)) {
    problems.push({ path: 'homeRegion', message: `${config.homeRegion} is not among governedRegions; add it there or choose one of ${governed.join(', ')}` });
  }
  governed.forEach((r, i) => {
    if (governed.indexOf(r) !== i) problems.push({ path: `governedRegions[${i}]`, message: `${r} is listed twice; list each region once` });
  });
  const rollup = config.securityLake.rollupRegion;
  if (rollup && !governed.includes(rollup)) {
    problems.push({ path: 'securityLake.rollupRegion', message: `${rollup} is not among governedRegions; choose one of ${governed.join(', ')}` });
  }
  return problems;
}

function archiveProblems(config: Config): Problem[] {
  const { archive } = config;
  const retention = archive.objectLock.retentionDays;
  const problems = lifecycleProblems('archive', archive.transitions, archive.expirationDays);
  if (archive.expirationDays !== undefined && archive.expirationDays < retention) {
    problems.push({ path: 'archive.expirationDays', message: `${archive.expirationDays} days is before the Object Lock retention (archive.objectLock.retentionDays = ${retention}); use ${retention} or more, or remove it to keep logs forever` });
  }
  if (archive.noncurrentVersionExpirationDays !== undefined && archive.noncurrentVersionExpirationDays < retention) {
    problems.push({ path: 'archive.noncurrentVersionExpirationDays', message: `${archive.noncurrentVersionExpirationDays} days is before the Object Lock retention (${retention}); use ${retention} or more` });
  }
  return problems;
}

function nameProblems(config: Config): Problem[] {
  const names = namesFor(config);
  const problems: Problem[] = [];
  for (const bucket of [names.stateBucket, names.archiveBucket, names.accessLogBucket, names.athenaResultsBucket]) {
    const problem = bucketNameProblem(bucket);
    if (problem) problems.push({ path: 'prefix', message: `the derived bucket name "${bucket}" ${problem}; choose a shorter or simpler prefix` });
  }
  if (config.state.backend === 's3' && config.state.bucket) {
    const problem = bucketNameProblem(config.state.bucket);
    if (problem) problems.push({ path: 'state.bucket', message: `"${config.state.bucket}" ${problem}` });
  }
  if (config.trail.s3DataEvents.mode === 'listed') {
    config.trail.s3DataEvents.buckets.forEach((b, i) => {
      const problem = bucketNameProblem(b);
      if (problem) problems.push({ path: `trail.s3DataEvents.buckets[${i}]`, message: `"${b}" ${problem}` });
      if (b === names.archiveBucket || b === names.accessLogBucket) {
        problems.push({ path: `trail.s3DataEvents.buckets[${i}]`, message: `"${b}" is the archive's own bucket: its data events would record the trail's own writes; remove it` });
      }
    });
  }
  return problems;
}

function securityServiceProblems(config: Config): Problem[] {
  const problems: Problem[] = [];
  const lake = config.securityLake;
  problems.push(...lifecycleProblems('securityLake', lake.transitions, lake.expirationDays));
  const unique = <T>(path: string, list: readonly T[]) =>
    list.forEach((v, i) => {
      if (list.indexOf(v) !== i) problems.push({ path: `${path}[${i}]`, message: `${String(v)} is listed twice; list each once` });
    });
  unique('guardduty.protectionPlans', config.guardduty.protectionPlans);
  unique('securityLake.sources', lake.sources);
  unique('alarms.controls', config.alarms.controls);
  unique('notifications.emails', config.notifications.emails);
  unique('notifier.eventNames', config.notifier.eventNames);
  unique('analytics.workgroups', config.analytics.workgroups.map((w) => w.name));
  const workgroupNames = config.analytics.workgroups.map((w) => w.name);
  if (!workgroupNames.includes(config.analytics.savedQueriesWorkgroup)) {
    problems.push({ path: 'analytics.savedQueriesWorkgroup', message: `${config.analytics.savedQueriesWorkgroup} is not one of analytics.workgroups; choose one of ${workgroupNames.join(', ')} or add a workgroup of that name` });
  }
  const [y, m, d] = config.analytics.projectionStartDate.split('/').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    problems.push({ path: 'analytics.projectionStartDate', message: `${config.analytics.projectionStartDate} is not a calendar date; write yyyy/MM/dd` });
  }
  return problems;
}

function guardrailProblems(config: Config): Problem[] {
  const { enabled, targets } = config.guardrails;
  if (!enabled || targets === undefined) return [];
  const problems: Problem[] = [];
  if (targets.length === 0) {
    problems.push({ path: 'guardrails.targets', message: 'is empty, so the guardrails would protect nothing; list the root or OU ids, remove the field to attach them to the organization root, or set guardrails.enabled to false' });
  }
  targets.forEach((t, i) => {
    if (targets.indexOf(t) !== i) problems.push({ path: `guardrails.targets[${i}]`, message: `${t} is listed twice; list each target once` });
    if (t.startsWith('r-') && t !== config.organization.rootId) {
      problems.push({ path: `guardrails.targets[${i}]`, message: `${t} is not this organization's root (organization.rootId is ${config.organization.rootId}); use that id or an OU id` });
    }
  });
  return problems;
}

/** GuardDuty exports into a bucket in an opt-in region only from that same region. */
function guarddutyProblems(config: Config): Problem[] {
  const home = config.homeRegion;
  const others = config.governedRegions.filter((r) => r !== home);
  if (!config.guardduty.exportFindings || !(OPT_IN_REGIONS as readonly string[]).includes(home) || others.length === 0) return [];
  return [{
    path: 'guardduty.exportFindings',
    message: `the archive is in ${home}, an opt-in region, and GuardDuty cannot export the findings of ${others.join(', ')} into a bucket there; set guardduty.exportFindings to false or choose a default-enabled homeRegion`,
  }];
}

/** The notifier's subscription filter must fit CloudWatch Logs' limit and match something. */
function notifierProblems(config: Config): Problem[] {
  const { enabled, eventNames, rootConsoleSignIn } = config.notifier;
  if (!enabled) return [];
  if (eventNames.length === 0 && !rootConsoleSignIn) {
    return [{ path: 'notifier.eventNames', message: 'is empty and notifier.rootConsoleSignIn is false, so nothing would be notified; list events or set notifier.enabled to false' }];
  }
  const length = notifierFilterPattern(eventNames, rootConsoleSignIn).length;
  if (length > MAX_SUBSCRIPTION_PATTERN_LENGTH) {
    return [{ path: 'notifier.eventNames', message: `makes a subscription filter pattern of ${length} characters; CloudWatch Logs accepts ${MAX_SUBSCRIPTION_PATTERN_LENGTH}: list fewer events` }];
  }
  return [];
}

/** A retired stack must be one this config no longer synthesizes, else a later removal would pass unseen. */
function retiredStackProblems(config: Config): Problem[] {
  const synthesized = new Map<string, string>([
    ...Object.values(STACK_IDS).filter((id) => id !== STACK_IDS.securityLake).map((id): [string, string] => [id, 'every landing zone has this stack; it cannot be retired']),
    ...config.governedRegions.map((r): [string, string] => [guarddutyStackId(r), `${r} is still in governedRegions; remove the region there first, or remove this entry`]),
  ]);
  if (config.securityLake.enabled) synthesized.set(STACK_IDS.securityLake, 'securityLake.enabled is true; set it to false first, or remove this entry');
  const problems: Problem[] = [];
  config.retiredStacks.forEach((id, i) => {
    const reason = synthesized.get(id);
    if (config.retiredStacks.indexOf(id) !== i) problems.push({ path: `retiredStacks[${i}]`, message: `${id} is listed twice; list each stack once` });
    else if (reason) problems.push({ path: `retiredStacks[${i}]`, message: `${id} is still synthesized: ${reason}` });
  });
  return problems;
}

/** Every rule beyond the schema's shape. */
export function semanticProblems(config: Config): Problem[] {
  return [
    ...guardrailProblems(config),
    ...accountProblems(config),
    ...regionProblems(config),
    ...archiveProblems(config),
    ...nameProblems(config),
    ...securityServiceProblems(config),
    ...notifierProblems(config),
    ...guarddutyProblems(config),
    ...retiredStackProblems(config),
  ];
}
