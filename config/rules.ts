/**
 * Rules that relate fields to each other, run after the shape has been checked.
 * Each returns problems naming the field path and what would be valid.
 */
import type { Config } from './schema';
import { guarddutyStackId, LOG_COLLECTION_STACK_ID, logCollectionRegionStackId, NAME_SECTIONS, namesFor, STACK_IDS, wantsLogCollection } from './names';
import { MAX_SUBSCRIPTION_PATTERN_LENGTH, notifierFilterPattern } from '../facts/notifier';
import { parseQuickSightPrincipal } from '../facts/quicksight';
import { CIS_FILTERS } from '../facts/cis';
import { CREDENTIAL_DATA_IDENTIFIERS, MASKED_DATA, maskedIdentifiers, maskingConflicts, type MaskedDataIdentifier, type PersonalDataIdentifier } from '../facts/data-protection';
import { GUARDDUTY_SILENCED } from '../facts/landing-zone-alarms';
import { CONTINUOUS_ONLY_RESOURCE_TYPES, REGIONS_WITHOUT_GLOBAL_IAM_RECORDING } from '../facts/aws-config';
import { OPT_IN_REGIONS } from '../facts/regions';
import { LB_POLICY_BYTES_BESIDES_LEGACY_RESOURCES, LEGACY_ELB_ACCOUNTS, legacyElbGrantResources, MAX_BUCKET_POLICY_BYTES } from '../facts/elb';
import { LOG_RETENTION_DAYS } from '../facts/cloudwatch';
import { CENTRALIZATION_SELECTION_MAX_LENGTH, CENTRALIZED_LOG_GROUP_PREFIX, centralizationSelectionCriteria, EVENT_DATA_STORE_RETENTION_DAYS } from '../facts/log-collection';
import { ARCHIVAL_STORAGE_CLASSES, bucketNameProblem, MINIMUM_DAYS_IN_CLASS, MINIMUM_TRANSITION_DAYS, TRANSITION_ORDER } from '../facts/s3';

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

function accountProblems(config: Pick<Config, 'accounts'>): Problem[] {
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

function regionProblems(config: Pick<Config, 'homeRegion' | 'governedRegions' | 'securityLake'>): Problem[] {
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

function archiveProblems(config: Pick<Config, 'archive'>): Problem[] {
  const { archive } = config;
  const retention = archive.objectLock.retentionDays;
  const problems = lifecycleProblems('archive', archive.transitions, archive.expirationDays);
  if (archive.expirationDays !== undefined && archive.expirationDays < retention) {
    problems.push({ path: 'archive.expirationDays', message: `${archive.expirationDays} days is before the Object Lock retention (archive.objectLock.retentionDays = ${retention}); use ${retention} or more, or remove it to keep logs forever` });
  }
  // On a versioned bucket, expiration only adds a delete marker: without noncurrent expiration
  // every version stays for ever (S3 user guide, "Lifecycle configuration elements").
  if (archive.expirationDays !== undefined && archive.noncurrentVersionExpirationDays === undefined) {
    problems.push({ path: 'archive.noncurrentVersionExpirationDays', message: `is required with archive.expirationDays: the archive is versioned, so expiring a log file only hides it behind a delete marker and it is kept for ever; set it (1 deletes the data one day after it expires, ${archive.expirationDays + 1} days after it was written), or remove archive.expirationDays to keep logs forever` });
  }
  archive.transitions.forEach((t, i) => {
    if (ARCHIVAL_STORAGE_CLASSES.includes(t.storageClass) && t.days < archive.athenaReadableDays) {
      problems.push({ path: `archive.transitions[${i}].days`, message: `${t.storageClass} at day ${t.days} is inside the ${archive.athenaReadableDays} days Athena must read without a restore (archive.athenaReadableDays); move it to day ${archive.athenaReadableDays} or later, use GLACIER_IR, or lower athenaReadableDays` });
    }
  });
  return problems;
}

/** Lake Formation administrators are principals of the account whose data lake they administer. */
function lakeFormationAdministratorProblems(config: Pick<Config, 'securityLake' | 'accounts'>): Problem[] {
  const lake = config.securityLake;
  const lakeAccountId = config.accounts[lake.account].id;
  return lake.lakeFormationAdministrators.flatMap((arn, i) => {
    const accountId = accountOfArn(arn);
    if (accountId === lakeAccountId) return [];
    return [{ path: `securityLake.lakeFormationAdministrators[${i}]`, message: `${arn} is in account ${accountId}; a Lake Formation administrator of the lake is a role or user of the lake account (securityLake.account = ${lake.account}, ${lakeAccountId})` }];
  });
}

/** Only a test organization may be removable. */
function profileProblems(config: Pick<Config, 'profile' | 'preventDestroy'>): Problem[] {
  if (config.profile === 'production' && config.preventDestroy === false) {
    return [{ path: 'preventDestroy', message: 'false is allowed only with profile: test (a trial organization that must be removable); a production organization keeps prevent_destroy on everything that holds evidence: remove the field, or set profile: test if this organization is a trial' }];
  }
  return [];
}

function nameProblems(config: Pick<Config, (typeof NAME_SECTIONS)[number]>): Problem[] {
  const names = namesFor(config);
  const problems: Problem[] = [];
  const customStateBucket = config.state.backend === 's3' ? config.state.bucket : undefined;
  for (const bucket of [...(customStateBucket ? [] : [names.stateBucket]), names.archiveBucket, names.accessLogBucket, names.athenaResultsBucket, names.configBucket]) {
    const problem = bucketNameProblem(bucket);
    if (problem) problems.push({ path: 'prefix', message: `the derived bucket name "${bucket}" ${problem}; choose a shorter or simpler prefix` });
  }
  if (customStateBucket) {
    const problem = bucketNameProblem(customStateBucket);
    if (problem) problems.push({ path: 'state.bucket', message: `"${customStateBucket}" ${problem}` });
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

function securityServiceProblems(config: Pick<Config, 'securityLake' | 'guardduty' | 'alarms' | 'notifications' | 'notifier' | 'analytics'>): Problem[] {
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

/** Root or OU ids a policy or deployment is attached to: not empty, each once, the root only this organization's. */
function targetProblems(path: string, targets: readonly string[], rootId: string, consequence: string, disable: string): Problem[] {
  const problems: Problem[] = [];
  if (targets.length === 0) {
    problems.push({ path, message: `is empty, so ${consequence}; list the root or OU ids, remove the field to use the organization root, or set ${disable} to false` });
  }
  targets.forEach((t, i) => {
    if (targets.indexOf(t) !== i) problems.push({ path: `${path}[${i}]`, message: `${t} is listed twice; list each target once` });
    if (t.startsWith('r-') && t !== rootId) {
      problems.push({ path: `${path}[${i}]`, message: `${t} is not this organization's root (organization.rootId is ${rootId}); use that id or an OU id` });
    }
  });
  return problems;
}

function guardrailProblems(config: Pick<Config, 'guardrails' | 'organization'>): Problem[] {
  const { enabled, targets } = config.guardrails;
  if (!enabled || targets === undefined) return [];
  return targetProblems('guardrails.targets', targets, config.organization.rootId, 'the guardrails would protect nothing', 'guardrails.enabled');
}

/** AWS Config, Security Hub CSPM, Access Analyzer and the data perimeter. */
function complianceProblems(config: Pick<Config, 'awsConfig' | 'securityHub' | 'dataPerimeter' | 'organization' | 'homeRegion' | 'governedRegions' | 'accounts'>): Problem[] {
  const problems: Problem[] = [];
  const { awsConfig, securityHub, dataPerimeter } = config;
  const rootId = config.organization.rootId;
  if (awsConfig.enabled) {
    if (awsConfig.targets) problems.push(...targetProblems('awsConfig.targets', awsConfig.targets, rootId, 'no member account would get a recorder', 'awsConfig.enabled'));
    const globalRegion = awsConfig.globalResourceTypesRegion ?? config.homeRegion;
    const field = awsConfig.globalResourceTypesRegion ? 'awsConfig.globalResourceTypesRegion' : 'homeRegion';
    if (!config.governedRegions.includes(globalRegion)) {
      problems.push({ path: 'awsConfig.globalResourceTypesRegion', message: `${globalRegion} is not among governedRegions, so no recorder would record the global IAM resource types; choose one of ${config.governedRegions.join(', ')}` });
    } else if ((REGIONS_WITHOUT_GLOBAL_IAM_RECORDING as readonly string[]).includes(globalRegion)) {
      const candidates = config.governedRegions.filter((r) => !(REGIONS_WITHOUT_GLOBAL_IAM_RECORDING as readonly string[]).includes(r));
      problems.push({ path: 'awsConfig.globalResourceTypesRegion', message: `${globalRegion} (${field}) is a region where AWS Config cannot record the global IAM resource types; set awsConfig.globalResourceTypesRegion to ${candidates.length > 0 ? `one of ${candidates.join(', ')}` : 'a governed region where it can (add one, e.g. us-east-1)'}` });
    }
    awsConfig.recordingFrequencyOverrides.forEach((o, i) => {
      const at = `awsConfig.recordingFrequencyOverrides[${i}]`;
      if (o.recordingFrequency === awsConfig.recordingFrequency) {
        problems.push({ path: `${at}.recordingFrequency`, message: `is ${o.recordingFrequency}, like awsConfig.recordingFrequency, so the override changes nothing; use the other frequency or remove the override` });
      }
      o.resourceTypes.forEach((t, j) => {
        if (o.resourceTypes.indexOf(t) !== j) problems.push({ path: `${at}.resourceTypes[${j}]`, message: `${t} is listed twice; list each once` });
        if (o.recordingFrequency === 'DAILY' && (CONTINUOUS_ONLY_RESOURCE_TYPES as readonly string[]).includes(t)) {
          problems.push({ path: `${at}.resourceTypes[${j}]`, message: `AWS Config records ${t} continuously only; remove it from the DAILY override` });
        }
      });
    });
  }
  if (securityHub.enabled) {
    if (!awsConfig.enabled) {
      problems.push({ path: 'securityHub.enabled', message: 'Security Hub CSPM evaluates its controls with AWS Config, which awsConfig.enabled turns off; enable awsConfig or set securityHub.enabled to false' });
    }
    if ((OPT_IN_REGIONS as readonly string[]).includes(config.homeRegion)) {
      problems.push({ path: 'securityHub.enabled', message: `Security Hub CSPM cannot aggregate into ${config.homeRegion}, a region that is disabled by default, and the home region is its aggregation region; choose a default-enabled homeRegion or set securityHub.enabled to false` });
    }
    if (securityHub.targets) problems.push(...targetProblems('securityHub.targets', securityHub.targets, rootId, 'no account would be configured', 'securityHub.enabled'));
    const ids = securityHub.disabledControls.map((c) => c.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) problems.push({ path: `securityHub.disabledControls[${i}].id`, message: `${id} is listed twice; list each control once` });
    });
  }
  if (dataPerimeter.enabled) {
    const own = organizationAccountIds(config.accounts);
    dataPerimeter.trustedAccountIds.forEach((id, i) => {
      if (dataPerimeter.trustedAccountIds.indexOf(id) !== i) problems.push({ path: `dataPerimeter.trustedAccountIds[${i}]`, message: `${id} is listed twice; list each account once` });
      if (own.has(id)) problems.push({ path: `dataPerimeter.trustedAccountIds[${i}]`, message: `${id} is an account of this organization, which the data perimeter already trusts; remove it` });
    });
  }
  return problems;
}

/** GuardDuty exports into a bucket in an opt-in region only from that same region. */
function guarddutyProblems(config: Pick<Config, 'homeRegion' | 'governedRegions' | 'guardduty'>): Problem[] {
  const home = config.homeRegion;
  const others = config.governedRegions.filter((r) => r !== home);
  if (!config.guardduty.exportFindings || !(OPT_IN_REGIONS as readonly string[]).includes(home) || others.length === 0) return [];
  return [{
    path: 'guardduty.exportFindings',
    message: `the archive is in ${home}, an opt-in region, and GuardDuty cannot export the findings of ${others.join(', ')} into a bucket there; set guardduty.exportFindings to false or choose a default-enabled homeRegion`,
  }];
}

/** The notifier's subscription filter must fit CloudWatch Logs' limit and match something. */
function notifierProblems(config: Pick<Config, 'notifier'>): Problem[] {
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

/** An organization Config rule evaluates only where a recorder runs: the compliance stack's. */
function configRuleProblems(config: Pick<Config, 'logCollection' | 'awsConfig'>): Problem[] {
  const { enabled, configRule } = config.logCollection.loadBalancerLogs;
  if (!enabled || !configRule || config.awsConfig.enabled) return [];
  return [{ path: 'logCollection.loadBalancerLogs.configRule', message: 'the organization Config rule evaluates only where a configuration recorder runs, and awsConfig.enabled is false; enable awsConfig or set configRule to false' }];
}

/** A retired stack must be one this config no longer synthesizes, else a later removal would pass unseen. */
function retiredStackProblems(config: Pick<Config, 'governedRegions' | 'securityLake' | 'integrity' | 'retiredStacks' | 'logCollection' | 'awsConfig' | 'securityHub' | 'accessAnalyzer'>): Problem[] {
  const optional: readonly string[] = [STACK_IDS.securityLake, STACK_IDS.integrity, STACK_IDS.compliance];
  const synthesized = new Map<string, string>([
    ...Object.values(STACK_IDS).filter((id) => !optional.includes(id)).map((id): [string, string] => [id, 'every landing zone has this stack; it cannot be retired']),
    ...config.governedRegions.map((r): [string, string] => [guarddutyStackId(r), `${r} is still in governedRegions; remove the region there first, or remove this entry`]),
  ]);
  if (config.securityLake.enabled) synthesized.set(STACK_IDS.securityLake, 'securityLake.enabled is true; set it to false first, or remove this entry');
  if (wantsLogCollection(config)) synthesized.set(LOG_COLLECTION_STACK_ID, 'a log type of logCollection is enabled; disable them first, or remove this entry');
  if (config.logCollection.loadBalancerLogs.enabled) {
    for (const r of config.governedRegions) synthesized.set(logCollectionRegionStackId(r), `logCollection.loadBalancerLogs is enabled and ${r} is governed; disable it or remove the region first, or remove this entry`);
  }
  if (config.integrity.enabled) synthesized.set(STACK_IDS.integrity, 'integrity.enabled is true; set it to false first, or remove this entry');
  if (config.awsConfig.enabled || config.securityHub.enabled || config.accessAnalyzer.enabled) {
    synthesized.set(STACK_IDS.compliance, 'awsConfig, securityHub or accessAnalyzer is still enabled; set all three enabled fields to false first, or remove this entry');
  }
  const problems: Problem[] = [];
  config.retiredStacks.forEach((id, i) => {
    const reason = synthesized.get(id);
    if (config.retiredStacks.indexOf(id) !== i) problems.push({ path: `retiredStacks[${i}]`, message: `${id} is listed twice; list each stack once` });
    else if (reason) problems.push({ path: `retiredStacks[${i}]`, message: `${id} is still synthesized: ${reason}` });
  });
  return problems;
}

/** The account ids of the organization as the config lists them. */
function organizationAccountIds(accounts: Config['accounts']): Set<string> {
  return new Set([accounts.management, accounts.logArchive, accounts.audit, ...accounts.members].map((a) => a.id));
}

const accountOfArn = (arn: string) => arn.split(':')[4];

/**
 * Principals trusted with evidence (readers get s3:GetObject and kms:Decrypt on all of it; the query
 * role's trusted roles and the suppression-rule roles likewise) are roles of the organization's own
 * accounts: people assume a role with their own credentials, a user is a standing key.
 */
function rolesOfTheOrganization(path: string, arns: readonly string[], accounts: Config['accounts'], why: string): Problem[] {
  const ours = organizationAccountIds(accounts);
  return arns.flatMap((arn, i) => {
    const problems: Problem[] = [];
    if (!arn.includes(':role/')) {
      problems.push({ path: `${path}[${i}]`, message: `${arn} is not a role; name a role of the organization (people assume it with their own credentials) rather than a user` });
    }
    const account = accountOfArn(arn);
    if (!ours.has(account)) {
      problems.push({
        path: `${path}[${i}]`,
        message: `${arn} is in account ${account}, which is none of the organization's accounts (accounts.management, logArchive, audit, members), yet ${why}; name a role of one of those accounts, or list the account under accounts.members if it belongs to the organization`,
      });
    }
    return problems;
  });
}

function readerProblems(config: Pick<Config, 'archive' | 'accounts'>): Problem[] {
  return rolesOfTheOrganization('archive.readers', config.archive.readers, config.accounts, 'readers may read and decrypt all the evidence');
}

function trustedRoleProblems(config: Pick<Config, 'analytics' | 'guardduty' | 'accounts'>): Problem[] {
  return [
    ...rolesOfTheOrganization('analytics.queryRoleTrustedArns', config.analytics.queryRoleTrustedArns, config.accounts, 'the query role reads and decrypts the trail'),
    ...rolesOfTheOrganization('guardduty.suppressionRuleRoleArns', config.guardduty.suppressionRuleRoleArns, config.accounts, 'its suppression rules would silence findings'),
  ];
}

/** Who may deploy, plan and break the glass: someone must be able to deploy, and only from the management account. */
function identityProblems(config: Pick<Config, 'deployment' | 'accounts'>): Problem[] {
  const { deployment, accounts } = config;
  const management = accounts.management.id;
  const problems: Problem[] = [];
  if (!deployment.github && deployment.managementDeployerArns.length === 0) {
    problems.push({ path: 'deployment.managementDeployerArns', message: 'is empty and deployment.github is not set, so nobody could assume the deployment roles; set deployment.github for the workflow, or list the management account\'s deployers here' });
  }
  const inManagement = (path: string, arns: readonly string[]) =>
    arns.forEach((arn, i) => {
      if (accountOfArn(arn) !== management) {
        problems.push({ path: `${path}[${i}]`, message: `${arn} is in account ${accountOfArn(arn)}, not the management account (accounts.management.id = ${management}); name a principal of that account` });
      }
    });
  inManagement('deployment.managementDeployerArns', deployment.managementDeployerArns);
  inManagement('deployment.breakGlass.trustedArns', deployment.breakGlass.trustedArns);
  const names = new Map<string, string>([
    ['deployment.roleName', deployment.roleName],
    ['deployment.planRoleName', deployment.planRoleName],
    ['deployment.breakGlass.roleName', deployment.breakGlass.roleName],
    ['deployment.organizationAccessRoleName', deployment.organizationAccessRoleName],
  ]);
  const seen = new Map<string, string>();
  for (const [path, name] of names) {
    const first = seen.get(name);
    if (first) problems.push({ path, message: `${name} is already the name of ${first}; each of these roles needs its own name` });
    else seen.set(name, path);
  }
  return problems;
}

/** The access logs record who read the evidence: they are kept at least as long as the evidence is. */
function accessLogProblems(config: Pick<Config, 'archive'>): Problem[] {
  const { accessLogRetentionDays, expirationDays } = config.archive;
  if (accessLogRetentionDays === undefined) return [];
  if (expirationDays === undefined) {
    return [{ path: 'archive.accessLogRetentionDays', message: `${accessLogRetentionDays} days, but the evidence is kept forever (no archive.expirationDays); remove it to keep the access logs as long as the evidence` }];
  }
  if (accessLogRetentionDays < expirationDays) {
    return [{ path: 'archive.accessLogRetentionDays', message: `${accessLogRetentionDays} days is shorter than the evidence is kept (archive.expirationDays = ${expirationDays}); use ${expirationDays} or more, or remove it to keep the access logs as long as the evidence` }];
  }
  return [];
}

/** Nobody is told about an alarm or a finding unless someone is subscribed to the topics. */
function notificationProblems(config: Pick<Config, 'notifications'>): Problem[] {
  const { emails, subscribedElsewhere } = config.notifications;
  if (emails.length > 0 || subscribedElsewhere) return [];
  return [{
    path: 'notifications.emails',
    message: 'lists no address, so every alarm and GuardDuty finding would go unnoticed; list at least one address, or, if the topics are subscribed by other means (a paging or chat integration managed elsewhere), say who in notifications.subscribedElsewhere',
  }];
}

/**
 * Over 10 years of COMPLIANCE retention asks for an explicit confirmation. Nobody, root included,
 * can shorten it or delete a locked version before it ends ("the only way to delete an object under
 * the compliance mode before its retention date expires is to delete the associated AWS account",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html), and every version is
 * billed all that time: an organization trail writes a file per account, region and about 5 minutes,
 * and in S3 Glacier Deep Archive each object also costs 40 KB of metadata, 8 KB of it at S3 Standard
 * rates (https://aws.amazon.com/s3/pricing/). Ten years is beyond what the common regimes ask of
 * audit logs (PCI DSS 10.5.1: one year; HIPAA documentation: six; SOX audit records: seven).
 */
export const LONG_COMPLIANCE_RETENTION_DAYS = 3653;

/** Below a year, a lock is a trial setting (PCI DSS 10.5.1 keeps audit logs for 12 months). */
export const SHORT_RETENTION_DAYS = 365;

function retentionProblems(config: Pick<Config, 'archive' | 'profile'>): Problem[] {
  const { mode, retentionDays, acknowledgedRetentionDays } = config.archive.objectLock;
  const years = Math.round(retentionDays / 365.25);
  if (mode === 'COMPLIANCE' && retentionDays > LONG_COMPLIANCE_RETENTION_DAYS && acknowledgedRetentionDays !== retentionDays) {
    const mismatch = acknowledgedRetentionDays === undefined ? '' : ` (archive.objectLock.acknowledgedRetentionDays confirms ${acknowledgedRetentionDays}, not ${retentionDays})`;
    return [{
      path: 'archive.objectLock.retentionDays',
      message: `${retentionDays} days (about ${years} years) of COMPLIANCE retention can never be shortened, and every log file is kept and billed until it ends${mismatch}; if that is what you want, confirm it with archive.objectLock.acknowledgedRetentionDays: ${retentionDays}, else use ${LONG_COMPLIANCE_RETENTION_DAYS} days or fewer`,
    }];
  }
  if (mode === 'GOVERNANCE' && retentionDays < SHORT_RETENTION_DAYS && config.profile !== 'test') {
    return [{
      path: 'archive.objectLock',
      message: `GOVERNANCE with ${retentionDays} days of retention is a trial setting: whoever is allowed s3:BypassGovernanceRetention can delete the evidence at any time, and after ${retentionDays} days the lock holds nothing; set profile: test for a trial organization, or keep COMPLIANCE (the default) with ${SHORT_RETENTION_DAYS} days or more`,
    }];
  }
  return [];
}

/** The log groups the landing zone itself writes (the trail's, its functions', the data protection findings): never centralized. */
export function landingZoneLogGroups(config: Config): string[] {
  const names = namesFor(config);
  return [names.logDeliveryLogGroup, names.trailLogGroup, names.notifierLogGroup, names.centralizedLogRetention.logGroup, names.maskingFindingsLogGroup];
}

function logCollectionProblems(config: Config): Problem[] {
  const problems: Problem[] = [];
  const { loadBalancerLogs: lb, cloudWatchLogs: cwl, cloudTrailLake: lake } = config.logCollection;
  const archiveRetention = config.archive.objectLock.retentionDays;
  const at = 'logCollection';
  if (lb.enabled) {
    problems.push(...lifecycleProblems(`${at}.loadBalancerLogs`, lb.transitions, lb.retentionDays).map((p) =>
      p.path.endsWith('.expirationDays') ? { ...p, path: `${at}.loadBalancerLogs.retentionDays` } : p));
    if (lb.evidence && lb.retentionDays < archiveRetention) {
      problems.push({ path: `${at}.loadBalancerLogs.retentionDays`, message: `${lb.retentionDays} days is shorter than the archive's retention (archive.objectLock.retentionDays = ${archiveRetention}) for logs marked as evidence; use ${archiveRetention} or more, or set logCollection.loadBalancerLogs.evidence to false` });
    }
    const names = namesFor(config);
    for (const b of config.governedRegions.flatMap((r) => [names.albLogBucket(r), names.nlbLogBucket(r)])) {
      const problem = bucketNameProblem(b);
      if (problem) problems.push({ path: 'prefix', message: `the derived bucket name "${b}" ${problem}; choose a shorter prefix` });
    }
    if (lb.legacyElbAccountPrincipal && config.governedRegions.some((r) => LEGACY_ELB_ACCOUNTS[r])) {
      const accountIds = [config.accounts.management, config.accounts.logArchive, config.accounts.audit, ...config.accounts.members].map((a) => a.id);
      const region = config.governedRegions.find((r) => LEGACY_ELB_ACCOUNTS[r])!;
      const bytes = JSON.stringify(legacyElbGrantResources(`arn:aws:s3:::${names.albLogBucket(region)}`, accountIds)).length + LB_POLICY_BYTES_BESIDES_LEGACY_RESOURCES;
      if (bytes > MAX_BUCKET_POLICY_BYTES) {
        problems.push({ path: `${at}.loadBalancerLogs.legacyElbAccountPrincipal`, message: `the legacy ELB account cannot be limited to the organization, so its grant lists every account's prefix: with ${accountIds.length} accounts the bucket policy would need about ${bytes} bytes and S3 accepts ${MAX_BUCKET_POLICY_BYTES}; set it to false (the service principal, limited by aws:SourceOrgID, serves every region)` });
      }
    }
  }
  if (cwl.enabled) {
    const pipeline = namesFor(config).logDeliveryLogGroup;
    cwl.logGroupPrefixes.forEach((prefix, i) => {
      const path = `${at}.cloudWatchLogs.logGroupPrefixes[${i}]`;
      if (pipeline.startsWith(prefix)) {
        problems.push({ path, message: `"${prefix}" would collect the pipeline's own log group ${pipeline}, whose delivery errors would then be delivered again, and fail again; use a longer prefix that does not match it` });
      }
      if (prefix.startsWith(CENTRALIZED_LOG_GROUP_PREFIX) || CENTRALIZED_LOG_GROUP_PREFIX.startsWith(prefix)) {
        problems.push({ path, message: `"${prefix}" would collect the centralized copies (${CENTRALIZED_LOG_GROUP_PREFIX}ACCOUNT/REGION/...) of the Log Archive into new copies of themselves, without end; use a prefix that does not match ${CENTRALIZED_LOG_GROUP_PREFIX}` });
      }
      if (/['%_\\]/.test(prefix)) {
        problems.push({ path, message: `"${prefix}" holds ' % _ or \\, which the centralization rule's LIKE filter reads as syntax or wildcards; list the prefix without them` });
      }
      if (cwl.logGroupPrefixes.indexOf(prefix) !== i) problems.push({ path, message: `${prefix} is listed twice; list each once` });
    });
    if (cwl.evidence && cwl.centralizedRetentionDays < archiveRetention) {
      const enough = LOG_RETENTION_DAYS.find((d) => d >= archiveRetention);
      const fix = enough === undefined
        ? `CloudWatch Logs keeps at most ${LOG_RETENTION_DAYS[LOG_RETENTION_DAYS.length - 1]} days, so set logCollection.cloudWatchLogs.evidence to false (the archive keeps its copy)`
        : `use ${enough} or more, or set logCollection.cloudWatchLogs.evidence to false`;
      problems.push({ path: `${at}.cloudWatchLogs.centralizedRetentionDays`, message: `${cwl.centralizedRetentionDays} days is shorter than the archive's retention (archive.objectLock.retentionDays = ${archiveRetention}) for logs marked as evidence; ${fix}` });
    }
    const criteria = centralizationSelectionCriteria(cwl.logGroupPrefixes, landingZoneLogGroups(config));
    if (criteria.length > CENTRALIZATION_SELECTION_MAX_LENGTH) {
      problems.push({ path: `${at}.cloudWatchLogs.logGroupPrefixes`, message: `make a selection of ${criteria.length} characters; a centralization rule accepts ${CENTRALIZATION_SELECTION_MAX_LENGTH}: list fewer or shorter prefixes` });
    }
  }
  if (lake.enabled) {
    const range = EVENT_DATA_STORE_RETENTION_DAYS[lake.billingMode];
    if (lake.retentionDays > range.max) {
      problems.push({ path: `${at}.cloudTrailLake.retentionDays`, message: `${lake.retentionDays} days is longer than CloudTrail Lake keeps events with ${lake.billingMode} (${range.min}-${range.max}); use ${range.max} or less, or the other billingMode` });
    }
    if (lake.evidence && lake.retentionDays < archiveRetention) {
      problems.push({ path: `${at}.cloudTrailLake.retentionDays`, message: `${lake.retentionDays} days is shorter than the archive's retention (archive.objectLock.retentionDays = ${archiveRetention}) for a store marked as evidence; use ${archiveRetention} or more, or set logCollection.cloudTrailLake.evidence to false` });
    }
  }
  return problems;
}

/** The SIEM is an account of the organization; its feeds need what they read. */
function siemProblems(config: Pick<Config, 'siem' | 'accounts' | 'securityLake'>): Problem[] {
  const { siem } = config;
  if (!siem) return [];
  const problems: Problem[] = [];
  if (!organizationAccountIds(config.accounts).has(siem.accountId)) {
    problems.push({ path: 'siem.accountId', message: `${siem.accountId} is not an account of the organization (accounts); the feeds are shared within the organization only: add the SIEM's account under accounts.members, or name one that is there` });
  }
  if (siem.securityLake && !config.securityLake.enabled) {
    problems.push({ path: 'siem.securityLake', message: 'needs Security Lake: set securityLake.enabled to true, or siem.securityLake to false' });
  }
  const roleAccount = siem.trail?.readerRoleArn.split(':')[4];
  if (roleAccount && roleAccount !== siem.accountId) {
    problems.push({ path: 'siem.trail.readerRoleArn', message: `the role is in account ${roleAccount}, not the SIEM's account ${siem.accountId}; name a role of siem.accountId` });
  }
  if (!siem.securityLake && !siem.trail) {
    problems.push({ path: 'siem', message: 'names no feed: set siem.securityLake to true, give siem.trail.readerRoleArn, or remove siem' });
  }
  return problems;
}

/** QuickSight principals belong to the Audit account, where the data source and dashboard are. */
function quicksightProblems(config: Pick<Config, 'quicksight' | 'accounts'>): Problem[] {
  const { enabled, authors, readers } = config.quicksight;
  const problems: Problem[] = [];
  if (enabled && authors.length === 0 && readers.length === 0) {
    problems.push({ path: 'quicksight.authors', message: 'quicksight.enabled is true but no author or reader is named, so nobody could open the dashboard; list QuickSight user or group ARNs, or set quicksight.enabled to false' });
  }
  for (const [field, list] of [['authors', authors], ['readers', readers]] as const) {
    list.forEach((arn, i) => {
      const principal = parseQuickSightPrincipal(arn);
      if (principal && principal.accountId !== config.accounts.audit.id) {
        problems.push({ path: `quicksight.${field}[${i}]`, message: `${arn} is in account ${principal.accountId}; QuickSight runs in the Audit account (${config.accounts.audit.id}): name its users or groups` });
      }
      if (list.indexOf(arn) !== i) problems.push({ path: `quicksight.${field}[${i}]`, message: `${arn} is listed twice; list each once` });
    });
  }
  return problems;
}

/**
 * Switching the daily integrity check off leaves tampering with the archive unseen until someone
 * runs `verify-logs`: a choice to state, not to fall into.
 */
function integrityProblems(config: Pick<Config, 'integrity'>): Problem[] {
  const { enabled, acknowledgeDisabled } = config.integrity;
  if (enabled || acknowledgeDisabled) return [];
  return [{
    path: 'integrity.enabled',
    message: 'false switches off the daily verification of the digest chains (and its alarms): tampering with the archive goes unseen until someone runs npm run verify-logs; set integrity.acknowledgeDisabled: true to confirm, or remove integrity.enabled',
  }];
}

type Section = keyof Config;

/**
 * Where the landing zone keeps log data, by config: the home region holds the archive, its access
 * logs, the trail's log group, query results and every other single store; Security Lake keeps a
 * data lake in every governed region it collects. A region outside privacy.allowedRegions is
 * refused, not rolled up: a region that contributes to a rollup still stores its data for a day
 * or more before replication, so the copy exists there all the same.
 */
function residencyProblems(config: Pick<Config, 'privacy' | 'homeRegion' | 'governedRegions' | 'securityLake'>): Problem[] {
  const allowed = config.privacy.allowedRegions;
  if (allowed === undefined) return [];
  const problems: Problem[] = [];
  const list = allowed.join(', ');
  if (!allowed.includes(config.homeRegion)) {
    problems.push({ path: 'homeRegion', message: `${config.homeRegion} is not among privacy.allowedRegions (${list}), yet the archive, its access logs, the trail's log group and the query results are kept there; choose a home region in that list, or add ${config.homeRegion} to it` });
  }
  if (config.securityLake.enabled) {
    const outside = config.governedRegions.filter((r) => !allowed.includes(r));
    if (outside.length > 0) {
      problems.push({ path: 'securityLake.enabled', message: `Security Lake keeps a data lake in every governed region, and ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not among privacy.allowedRegions (${list}); narrow governedRegions, add the regions to privacy.allowedRegions, or set securityLake.enabled to false` });
    }
  }
  return problems;
}

/** A filter on the trail's log group, as the masking rule names it. */
export interface WatchedFilter {
  readonly pattern: string;
  /** What the filter is, e.g. "the metric filter of root-usage (CloudWatch.1)". */
  readonly what: string;
  /** How to do without it, e.g. "remove root-usage from alarms.controls". */
  readonly remedy: string;
  /** The config field that asks for the filter. */
  readonly path: string;
}

/** The filters on the trail's log group the config asks for: the CIS controls', the landing zone's own alarm's, the notifier's. */
export function watchedFilters(config: Pick<Config, 'alarms' | 'notifier'>): WatchedFilter[] {
  return [
    ...config.alarms.controls.map((control, i) => ({
      pattern: CIS_FILTERS[control].pattern,
      what: `the metric filter of ${control} (${CIS_FILTERS[control].control})`,
      remedy: `remove ${control} from alarms.controls`,
      path: `alarms.controls[${i}]`,
    })),
    { pattern: GUARDDUTY_SILENCED.pattern, what: 'the metric filter of the GuardDuty-silenced alarm', remedy: 'change its pattern in facts/landing-zone-alarms.ts', path: 'privacy.masking.identifiers' },
    ...(config.notifier.enabled
      ? [{ pattern: notifierFilterPattern(config.notifier.eventNames, config.notifier.rootConsoleSignIn), what: 'the notifier\'s subscription filter', remedy: 'set notifier.enabled to false', path: 'notifier.enabled' }]
      : []),
  ];
}

/**
 * Masking happens before the filters of the trail's log group see a record (AWS masks at ingestion
 * and at every egress point, metric and subscription filters included): a config that would mask a
 * field one of them compares is refused, naming the field and the fix. Each filter's comparisons are
 * read from its pattern; facts/data-protection.ts says which ones masking can change.
 */
export function maskedFilterProblems(filters: readonly WatchedFilter[], identifiers: readonly PersonalDataIdentifier[]): Problem[] {
  const problems: Problem[] = [];
  for (const filter of filters) {
    for (const { identifier, comparison } of maskingConflicts(filter.pattern, maskedIdentifiers(identifiers))) {
      const compares = `compares $.${comparison.selector} ${comparison.operator} ${JSON.stringify(comparison.value)}`;
      const data = MASKED_DATA[identifier].description;
      problems.push((CREDENTIAL_DATA_IDENTIFIERS as readonly MaskedDataIdentifier[]).includes(identifier)
        ? { path: filter.path, message: `${filter.what} ${compares}, where CloudTrail may carry ${data}, which are always masked (${identifier}) before a filter sees the record: it would miss or mistake records; ${filter.remedy}` }
        : { path: `privacy.masking.identifiers[${identifiers.indexOf(identifier as PersonalDataIdentifier)}]`, message: `${identifier} masks ${data} in ${comparison.selector} with asterisks before the filters see the record, and ${filter.what} ${compares}: it would miss or mistake records; remove ${identifier} from privacy.masking.identifiers, or ${filter.remedy}` });
    }
  }
  return problems;
}

/**
 * The roles allowed to unmask are roles of the Log Archive, where the guardrails refuse logs:Unmask
 * to everyone else (its integrity check's and collection pipeline's log groups, the centralized
 * logs). The management account's log groups (the trail's, the notifier's) are bound by no SCP:
 * there its own IAM policies decide who unmasks, and a role named here would change nothing.
 */
function unmaskRoleProblems(config: Pick<Config, 'privacy' | 'accounts'>): Problem[] {
  const { identifiers, unmaskRoles } = config.privacy.masking;
  const problems: Problem[] = [];
  identifiers.forEach((id, i) => {
    if (identifiers.indexOf(id) !== i) problems.push({ path: `privacy.masking.identifiers[${i}]`, message: `${id} is listed twice; list each once` });
  });
  const logArchive = config.accounts.logArchive.id;
  const management = config.accounts.management.id;
  unmaskRoles.forEach((arn, i) => {
    const account = accountOfArn(arn);
    if (unmaskRoles.indexOf(arn) !== i) {
      problems.push({ path: `privacy.masking.unmaskRoles[${i}]`, message: `${arn} is listed twice; list each once` });
    } else if (account === management) {
      problems.push({ path: `privacy.masking.unmaskRoles[${i}]`, message: `${arn} is in the management account, which no SCP binds: who may unmask the trail's log group there is decided by that account's own IAM policies (grant logs:Unmask in the permission set of incident response), not here; list roles of the Log Archive (${logArchive}) only` });
    } else if (account !== logArchive) {
      problems.push({ path: `privacy.masking.unmaskRoles[${i}]`, message: `${arn} is in account ${account}, which holds no masked log group: logs:Unmask reads a log group of the caller's own account; name a role of the Log Archive (accounts.logArchive.id = ${logArchive})` });
    }
  });
  return problems;
}

/** A rule and the config sections it reads: it runs only when all of them are well-formed. */
interface Rule {
  readonly needs: readonly Section[];
  readonly check: (config: Config) => Problem[];
}

function rule<K extends Section>(needs: readonly K[], check: (config: Pick<Config, K>) => Problem[]): Rule {
  return { needs, check };
}

const RULES: readonly Rule[] = [
  rule(['profile', 'preventDestroy'], profileProblems),
  rule(['guardrails', 'organization'], guardrailProblems),
  rule(['accounts'], accountProblems),
  rule(['homeRegion', 'governedRegions', 'securityLake'], regionProblems),
  rule(['archive'], archiveProblems),
  rule(['archive', 'profile'], retentionProblems),
  rule(['archive', 'accounts'], readerProblems),
  rule([...NAME_SECTIONS], nameProblems),
  rule(['deployment', 'accounts'], identityProblems),
  rule(['analytics', 'guardduty', 'accounts'], trustedRoleProblems),
  rule(['archive'], accessLogProblems),
  rule(['securityLake', 'guardduty', 'alarms', 'notifications', 'notifier', 'analytics'], securityServiceProblems),
  rule(['securityLake', 'accounts'], lakeFormationAdministratorProblems),
  rule(['notifications'], notificationProblems),
  rule(['notifier'], notifierProblems),
  rule(['homeRegion', 'governedRegions', 'guardduty'], guarddutyProblems),
  rule(['governedRegions', 'securityLake', 'integrity', 'retiredStacks', 'logCollection', 'awsConfig', 'securityHub', 'accessAnalyzer'], retiredStackProblems),
  // it derives bucket and log group names, so it needs every section names.ts reads
  rule([...NAME_SECTIONS, 'logCollection', 'archive', 'accounts', 'governedRegions'], (c) => logCollectionProblems(c as Config)),
  rule(['integrity'], integrityProblems),
  rule(['privacy', 'homeRegion', 'governedRegions', 'securityLake'], residencyProblems),
  rule(['quicksight', 'accounts'], quicksightProblems),
  rule(['siem', 'accounts', 'securityLake'], siemProblems),
  rule(['privacy', 'alarms', 'notifier'], (c) => maskedFilterProblems(watchedFilters(c), c.privacy.masking.identifiers)),
  rule(['privacy', 'accounts'], unmaskRoleProblems),
  rule(['awsConfig', 'securityHub', 'dataPerimeter', 'organization', 'homeRegion', 'governedRegions', 'accounts'], complianceProblems),
  rule(['logCollection', 'awsConfig'], configRuleProblems),
];

/**
 * Every rule beyond the schema's shape whose sections are well-formed: a config with a malformed
 * section still gets the rules of the others, so every problem is reported at once.
 */
export function semanticProblems(sections: Partial<Config>): Problem[] {
  return RULES.filter((r) => r.needs.every((s) => sections[s] !== undefined))
    // each check's type lets it read only the sections it needs, and those are present
    .flatMap((r) => r.check(sections as Config));
}
