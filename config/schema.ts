/**
 * The one schema of an organization's config file. Types are inferred from it, defaults are
 * applied by it (and nowhere else), and `config/schema.json` is generated from it for editors.
 * Rules that relate several fields to each other live in `rules.ts`.
 */
import { z } from 'zod';
import { UNUSED_ACCESS_AGE_DAYS } from '../facts/access-analyzer';
import { CIS_ALARMS } from '../facts/cis';
import { CREDENTIAL_DATA_IDENTIFIERS, PERSONAL_DATA_IDENTIFIERS } from '../facts/data-protection';
import { INSIGHT_TYPES } from '../facts/cloudtrail';
import { LOG_RETENTION_DAYS } from '../facts/cloudwatch';
import { EVENT_DATA_STORE_RETENTION_DAYS, FIREHOSE_BUFFER_INTERVAL_SECONDS, FIREHOSE_BUFFER_SIZE_MIB } from '../facts/log-collection';
import { QUICKSIGHT_DEFAULT_SERVICE_ROLE, QUICKSIGHT_PRINCIPAL_ARN } from '../facts/quicksight';
import { MAX_RECORDING_MODE_OVERRIDES, RECORDING_FREQUENCIES, RESOURCE_TYPE_PATTERN, SNAPSHOT_DELIVERY_FREQUENCIES } from '../facts/aws-config';
import { GUARDDUTY_PROTECTION_PLANS, GUARDDUTY_RUNTIME_ADDONS } from '../facts/guardduty';
import { DEFAULT_NOTIFIED_EVENT_NAMES } from '../facts/notifier';
import { DEFAULT_ENABLED_REGIONS, KNOWN_REGIONS } from '../facts/regions';
import { TRANSITION_STORAGE_CLASSES } from '../facts/s3';
import { CIS_BENCHMARK_VERSIONS, NEWEST_CIS_BENCHMARK_VERSION, NOTIFIABLE_SEVERITY_LABELS, SECURITY_CONTROL_ID_PATTERN } from '../facts/security-hub';
import { DEFAULT_SECURITY_LAKE_SOURCES, SECURITY_LAKE_SOURCES } from '../facts/security-lake';
import { RECURRING_SCHEDULE_EXPRESSION, SCHEDULE_EXPRESSION_HINT, SQS_MAXIMUM_CONCURRENCY } from '../facts/scheduler';

const accountId = z
  .string({ error: 'an account id is a string of 12 digits; quote it in YAML ("012345678901")' })
  .regex(/^\d{12}$/, { error: 'an account id is exactly 12 digits, e.g. "012345678901"' });

const region = z.enum(KNOWN_REGIONS, {
  error: (issue) =>
    issue.input === undefined || issue.input === null
      ? 'a region name such as "eu-west-1"'
      : `unknown region ${JSON.stringify(issue.input)}; use a commercial region name such as "eu-west-1"`,
});

const email = z.email({ error: 'not an e-mail address; write it as name@example.com' });

const positiveDays = z.number().int().positive();

const iamRoleArn = z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: 'expected an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME' });

const quicksightPrincipal = z.string().regex(QUICKSIGHT_PRINCIPAL_ARN, {
  error: 'expected a QuickSight user or group ARN, arn:aws:quicksight:IDENTITY-REGION:ACCOUNT:user/default/NAME (or group/default/NAME); `aws quicksight list-users` shows them',
});
/** The name of an IAM role. */
const iamName = z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: 'an IAM role name: 1-64 letters, digits and +=,.@_-' });

/** The exact ARN of an IAM role or user (a trust policy names principals that exist). */
const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, { error: 'expected the ARN of an IAM role or user, e.g. arn:aws:iam::111111111111:role/platform-admin' });

/** The organization root or an OU, as AWS Organizations names them. */
const organizationTarget = z
  .string()
  .regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, { error: 'expected a root id (r-...) or an OU id (ou-...-...)' });

const account = z
  .object({
    /** Short name used in outputs and tags. */
    name: z.string().min(1).max(50),
    id: accountId,
  })
  .strict();

const logRetentionDays = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    error: `CloudWatch Logs accepts only these retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
  });

const transition = z
  .object({
    /** Days after the object was written. */
    days: z.number().int().nonnegative(),
    storageClass: z.enum(TRANSITION_STORAGE_CLASSES),
  })
  .strict();

const stateSchema = z.discriminatedUnion('backend', [
  z
    .object({
      backend: z.literal('s3'),
      /** State bucket; defaults to the name the bootstrap stack creates. */
      bucket: z.string().optional(),
    })
    .strict(),
  z
    .object({
      backend: z.literal('local'),
      /** Folder for the state files, relative to the working directory of `cdktf deploy`. */
      directory: z.string().default('terraform-state'),
    })
    .strict(),
]);

export const configSchema = z
  .object({
    /**
     * `production`: evidence is kept as promised and nothing guarded can be destroyed.
     * `test`: a trial organization that must be removable: GOVERNANCE locks, short retentions and
     * no `prevent_destroy` are allowed only here (docs/teardown.md).
     */
    profile: z.enum(['production', 'test']).default('production'),
    /**
     * Whether Terraform refuses to destroy what holds evidence (`prevent_destroy`) and refuses to
     * empty buckets on destroy. Off only for `profile: test`, where it is the default; a production
     * config that sets it to false is refused (docs/teardown.md).
     * @default true for production, false for test (applied in stacks/infrastructure/landing-zone-stack.ts)
     */
    preventDestroy: z.boolean().optional(),
    /** Lower-case prefix of every derived name (buckets, trail, keys, roles). */
    prefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/, {
        error: 'use 2-20 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      }),
    organization: z
      .object({
        /** AWS Organizations id, e.g. o-a1b2c3d4e5. */
        id: z.string().regex(/^o-[a-z0-9]{10,32}$/, {
          error: 'an organization id is "o-" followed by 10-32 lower-case letters or digits',
        }),
        /** Id of the organization root, e.g. r-ab12. */
        rootId: z.string().regex(/^r-[0-9a-z]{4,32}$/, {
          error: 'a root id is "r-" followed by 4-32 lower-case letters or digits',
        }),
        /**
         * Account registered as CloudTrail's delegated administrator, which may then manage the
         * organization's trails. Absent: only the management account does.
         */
        cloudTrailDelegatedAdministrator: z.enum(['audit', 'logArchive']).optional(),
      })
      .strict(),
    /** Region of the trail, the archive, the state and everything else that is not per region. */
    homeRegion: region,
    /** Regions watched by GuardDuty and Security Lake and queried by Athena. */
    governedRegions: z.array(region).min(1).default([...DEFAULT_ENABLED_REGIONS]),
    accounts: z
      .object({
        management: account,
        logArchive: account,
        audit: account,
        /** Workload accounts; they get no stack of their own. */
        members: z.array(account).default([]),
      })
      .strict(),
    deployment: z
      .object({
        /**
         * The deployment role, created in the management, Log Archive and Audit accounts by the
         * bootstrap stack; every other stack deploys through it, and it is the only principal the
         * guardrails exempt (docs/first-deploy.md).
         */
        roleName: iamName.default('audit-landing-zone-deployer'),
        /** IAM path of the roles the landing zone creates for itself (deployment, plan, break-glass, CI). */
        rolePath: z
          .string()
          .regex(/^\/([\w+=,.@-]+\/)*$/, { error: 'an IAM path starts and ends with "/", e.g. /landing-zone/' })
          .max(512)
          .default('/landing-zone/'),
        /** Read-only role in each account that pull-request plans assume; never exempt from a guardrail. */
        planRoleName: iamName.default('audit-landing-zone-planner'),
        /**
         * The role AWS Organizations creates in every member account. The bootstrap stack uses it once,
         * to create the deployment roles in the Log Archive and Audit accounts; nothing else does.
         */
        organizationAccessRoleName: iamName.default('OrganizationAccountAccessRole'),
        /**
         * Set to true once the bootstrap stack has been deployed: from then on it, too, reaches the
         * Log Archive and Audit accounts through the deployment roles, since the guardrails refuse the
         * organization access role any change to them.
         */
        bootstrapped: z.boolean().default(false),
        /**
         * Principals of the management account that deploy from a workstation (an IAM Identity Center
         * role, say); the deployment roles trust them and the apply job, nobody else.
         */
        managementDeployerArns: z.array(iamPrincipalArn).default([]),
        /** The GitHub repository whose workflow plans and applies (.github/workflows/plan.yml). @default no CI identities */
        github: z
          .object({
            /** OWNER/NAME of the repository. */
            repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'write the repository as OWNER/NAME, e.g. acme/audit-landing-zone' }),
            /** The environment of the apply job; only its jobs may assume the deployment roles. */
            applyEnvironment: z.string().regex(/^[^\s:*?]{1,255}$/, { error: 'an environment name without spaces, colons or wildcards' }).default('production'),
          })
          .strict()
          .optional(),
        /**
         * The break-glass role, in the management and Log Archive accounts: the only principal that may
         * schedule the deletion of, disable or rewrite the policy of the keys that protect evidence, and
         * only with MFA.
         */
        breakGlass: z
          .object({
            roleName: iamName.default('audit-landing-zone-break-glass'),
            /** IAM users of the management account (with MFA devices) that may assume it. @default none: no break-glass role */
            trustedArns: z.array(iamPrincipalArn).default([]),
          })
          .strict()
          .prefault({}),
        /** Tags every provider puts on every resource. */
        tags: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .prefault({}),
    state: stateSchema.prefault({ backend: 'local' }),
    archive: z
      .object({
        objectLock: z
          .object({
            /** COMPLIANCE: nobody, root included, can shorten or remove the lock. */
            mode: z.enum(['COMPLIANCE', 'GOVERNANCE']).default('COMPLIANCE'),
            /** Default retention of every object version, in days. */
            retentionDays: positiveDays.default(2557),
            /**
             * Confirms a COMPLIANCE retention over 10 years (config/rules.ts): set it to retentionDays.
             * It repeats the number so that a later, longer retention needs confirming again.
             */
            acknowledgedRetentionDays: positiveDays.optional(),
          })
          .strict()
          .prefault({}),
        /**
         * Storage class transitions, ascending in days. Only objects of 128 KB or more move (S3's
         * default, set explicitly): most CloudTrail files are smaller and stay in S3 Standard,
         * where they cost less than they would in a Glacier class (docs/archive.md).
         */
        transitions: z.array(transition).default([
          { days: 90, storageClass: 'GLACIER_IR' },
          { days: 365, storageClass: 'DEEP_ARCHIVE' },
        ]),
        /**
         * Days during which a log file stays in a class Athena reads without a restore (Standard,
         * the IA classes, Glacier Instant Retrieval): no transition to GLACIER or DEEP_ARCHIVE
         * comes earlier.
         */
        athenaReadableDays: positiveDays.default(365),
        /**
         * Days after which current versions expire: S3 then adds a delete marker and the version
         * becomes noncurrent. Never before the Object Lock retention; needs
         * noncurrentVersionExpirationDays, or nothing is ever deleted. Absent: kept forever.
         */
        expirationDays: positiveDays.optional(),
        /**
         * Days a version is kept after it became noncurrent, then deleted (Object Lock still keeps
         * every version until its own retention ends). With expirationDays, data is gone after
         * expirationDays + noncurrentVersionExpirationDays.
         */
        noncurrentVersionExpirationDays: positiveDays.optional(),
        /**
         * Days the unlocked access-log bucket keeps the archive's server access logs; never less than
         * the evidence is kept (archive.expirationDays).
         * @default as long as the evidence: archive.expirationDays, or forever without it (applied in config/names.ts)
         */
        accessLogRetentionDays: positiveDays.optional(),
        /** IAM roles (ARNs) of the organization's accounts that may read and decrypt the archive. */
        readers: z.array(iamPrincipalArn).default([]),
      })
      .strict()
      .prefault({}),
    trail: z
      .object({
        /** Trail name; defaults to PREFIX-organization-trail. */
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/).optional(),
        /** Retention of the trail's CloudWatch Logs group. */
        cloudWatchLogsRetentionDays: logRetentionDays.default(365),
        insights: z.array(z.enum(INSIGHT_TYPES)).default([...INSIGHT_TYPES]),
        s3DataEvents: z
          .discriminatedUnion('mode', [
            z.object({ mode: z.literal('none') }).strict(),
            z.object({ mode: z.literal('all-except-archive') }).strict(),
            z.object({ mode: z.literal('listed'), buckets: z.array(z.string()).min(1) }).strict(),
          ])
          .default({ mode: 'none' }),
      })
      .strict()
      .prefault({}),
    guardduty: z
      .object({
        findingPublishingFrequency: z.enum(['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS']).default('FIFTEEN_MINUTES'),
        protectionPlans: z.array(z.enum(GUARDDUTY_PROTECTION_PLANS)).default([...GUARDDUTY_PROTECTION_PLANS]),
        /**
         * Runtime Monitoring's agent add-ons, which make GuardDuty install its agent (and, for
         * ECS Fargate and EKS, sidecars and VPC endpoints) in workload accounts. Off unless listed
         * (docs/guardduty.md); the ones not listed are switched off explicitly.
         */
        runtimeMonitoringAddons: z.array(z.enum(GUARDDUTY_RUNTIME_ADDONS)).default([]),
        /** Export findings to the Log Archive bucket. */
        exportFindings: z.boolean().default(true),
        /**
         * Roles (ARNs, wildcards allowed for IAM Identity Center roles) of the security operations team,
         * the only principals the guardrails let create or change suppression rules (filters), which
         * archive findings before they reach EventBridge or the export. @default nobody
         */
        suppressionRuleRoleArns: z
          .array(z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/*-]+$/, { error: 'expected an IAM role ARN, e.g. arn:aws:iam::333333333333:role/soc-analyst' }))
          .default([]),
      })
      .strict()
      .prefault({}),
    securityLake: z
      .object({
        enabled: z.boolean().default(true),
        /** Account that holds the data lake (the delegated administrator). */
        account: z.enum(['logArchive', 'audit']).default('logArchive'),
        /**
         * The data classes collected, each an explicit choice (each carries its own personal data:
         * docs/security-lake.md). By default only CloudTrail management events.
         */
        sources: z.array(z.enum(SECURITY_LAKE_SOURCES)).default([...DEFAULT_SECURITY_LAKE_SOURCES]),
        /**
         * Lake Formation data lake administrators of the lake account besides its deployment role.
         * Lake Formation keeps one list and the landing zone writes it whole, so list every
         * administrator the account already has (`aws lakeformation get-data-lake-settings`).
         */
        lakeFormationAdministrators: z
          .array(z.string().regex(/^arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, { error: 'expected an IAM role or user ARN' }))
          .default([]),
        transitions: z.array(transition).default([{ days: 30, storageClass: 'STANDARD_IA' }]),
        expirationDays: positiveDays.default(365),
        /** Region that collects the data of every other governed region. */
        rollupRegion: region.optional(),
      })
      .strict()
      .prefault({}),
    analytics: z
      .object({
        /** First day the CloudTrail table's date projection covers (yyyy/MM/dd). */
        projectionStartDate: z
          .string()
          .regex(/^\d{4}\/\d{2}\/\d{2}$/, { error: 'write the date as yyyy/MM/dd, e.g. 2024/01/01' })
          .default('2024/01/01'),
        workgroups: z
          .array(
            z
              .object({
                name: z.string().regex(/^[a-zA-Z0-9._-]{1,128}$/),
                description: z.string().max(1024).default(''),
                /** Queries scanning more than this many bytes are cancelled. */
                bytesScannedCutoffPerQuery: z.number().int().min(10_485_760).default(10_737_418_240),
              })
              .strict(),
          )
          .min(1)
          .default([
            { name: 'investigations', description: 'Incident response and forensic queries', bytesScannedCutoffPerQuery: 107_374_182_400 },
            { name: 'compliance-reporting', description: 'Scheduled compliance reports', bytesScannedCutoffPerQuery: 10_737_418_240 },
          ]),
        /** Days query results are kept. */
        resultsExpirationDays: positiveDays.default(30),
        /** Workgroup that holds the saved forensic queries; one of `workgroups`. */
        savedQueriesWorkgroup: z.string().default('investigations'),
        /**
         * Add every account that joins the organization to the trail table's projection, minutes
         * after it joins and once a day, without a config edit (docs/analytics.md).
         */
        followNewAccounts: z.boolean().default(true),
        /**
         * Roles (exact ARNs, of the organization's accounts) that may assume the query role.
         * @default nobody: no query role is created
         */
        queryRoleTrustedArns: z.array(iamPrincipalArn).default([]),
      })
      .strict()
      .prefault({}),
    /**
     * Amazon QuickSight over the trail table: a data source on the saved queries' workgroup, data
     * sets and a dashboard. QuickSight is paid per user and its subscription is made by hand
     * first (docs/quicksight.md), so it is off unless named here.
     */
    quicksight: z
      .object({
        enabled: z.boolean().default(false),
        /** QuickSight users or groups (ARNs, of the Audit account) who may change the data sets and dashboard. */
        authors: z.array(quicksightPrincipal).default([]),
        /** QuickSight users or groups (ARNs, of the Audit account) who may view the dashboard. */
        readers: z.array(quicksightPrincipal).default([]),
        /** The role QuickSight reaches Athena and S3 with, as the subscription set it (path/name in the Audit account). */
        serviceRole: z.string().regex(/^[\w+=,.@/-]{1,512}$/).default(QUICKSIGHT_DEFAULT_SERVICE_ROLE),
        /** Days of the trail the data sets read. */
        lookbackDays: z.number().int().min(1).max(400).default(30),
      })
      .strict()
      .prefault({}),
    /**
     * Feeds for a SIEM in one account of the organization: a Security Lake subscriber with S3
     * access, and the raw trail (new objects announced on an SNS topic, read by the SIEM's role).
     * Absent: no feed (docs/siem.md).
     */
    siem: z
      .object({
        /** The SIEM's account; it must be one of `accounts`. */
        accountId,
        /** Shared secret the SIEM presents when it assumes Security Lake's subscriber role. */
        externalId: z
          .string()
          .min(16, { error: 'an external id of at least 16 characters: generate an unguessable one, e.g. `openssl rand -hex 16`' })
          .max(1224)
          .regex(/^[\w+=,.@:/-]+$/, { error: 'an external id holds letters, digits and +=,.@:/-_ only' }),
        /** Security Lake subscriber with S3 data access and its SQS notification. */
        securityLake: z.boolean().default(true),
        /** The raw Organization trail: the SIEM's role that reads new log files. @default no raw-trail feed */
        trail: z.object({ readerRoleArn: iamRoleArn }).strict().optional(),
      })
      .strict()
      .optional(),
    alarms: z
      .object({
        controls: z.array(z.enum(CIS_ALARMS)).default([...CIS_ALARMS]),
      })
      .strict()
      .prefault({}),
    notifier: z
      .object({
        /** E-mail who did what, for the listed events of every account, through its own topic. */
        enabled: z.boolean().default(true),
        /**
         * `minimal`: what, where, when, which account, who (user or role name), the event id and how
         * to look the record up. `full` adds source IP, user agent, access key id, session details,
         * the resources and the request and response: personal data e-mailed to every recipient.
         */
        detail: z.enum(['minimal', 'full']).default('minimal'),
        /**
         * Addresses of the activity notices, a topic of their own apart from the alarms.
         * @default notifications.emails (applied in stacks/org-trail.ts)
         */
        emails: z.array(email).optional(),
        /** CloudTrail eventNames that are notified (the subscription filter is built from them). */
        eventNames: z
          .array(z.string().regex(/^[A-Za-z0-9]+$/, { error: 'a CloudTrail eventName holds only letters and digits, e.g. RunInstances' }))
          .default([...DEFAULT_NOTIFIED_EVENT_NAMES]),
        /** Also notify every console sign-in of a root user. */
        rootConsoleSignIn: z.boolean().default(true),
        /** Retention of the notifier function's own log group. */
        logRetentionDays: logRetentionDays.default(365),
        /** Concurrent executions reserved for (and capping) the function. */
        reservedConcurrency: z.number().int().min(1).max(50).default(5),
      })
      .strict()
      .prefault({}),
    notifications: z
      .object({
        /** Addresses subscribed to the alarm and findings topics; at least one, unless `subscribedElsewhere` says who listens instead. */
        emails: z.array(email).default([]),
        /**
         * Who receives the alarms and findings when `emails` is empty, e.g. "PagerDuty subscribes
         * both topics (managed in the paging repository)". Without it an empty `emails` is refused.
         */
        subscribedElsewhere: z.string().min(1).optional(),
        /**
         * Minimum GuardDuty severity that is notified: Low 1-3.9, Medium 4-6.9, High 7-8.9,
         * Critical 9-10 (attack sequences).
         */
        guarddutyMinimumSeverity: z.number().min(1).max(10).default(7),
        /**
         * Minimum Security Hub severity label that is notified (control failures, IAM Access Analyzer
         * and other products' findings; GuardDuty's have their own path). Passed checks are
         * INFORMATIONAL and never notified.
         */
        securityHubMinimumSeverity: z.enum(NOTIFIABLE_SEVERITY_LABELS).default('HIGH'),
      })
      .strict()
      .prefault({}),
    awsConfig: z
      .object({
        /** A Config recorder in every account and governed region, delivering into the Log Archive. */
        enabled: z.boolean().default(true),
        recordingFrequency: z.enum(RECORDING_FREQUENCIES).default('CONTINUOUS'),
        /**
         * Resource types recorded at another frequency than recordingFrequency, e.g. DAILY for
         * busy types to save cost. AWS takes one override per recorder.
         */
        recordingFrequencyOverrides: z
          .array(
            z
              .object({
                resourceTypes: z
                  .array(z.string().regex(RESOURCE_TYPE_PATTERN, { error: 'a resource type as Config names it, e.g. AWS::EC2::NetworkInterface' }))
                  .min(1),
                recordingFrequency: z.enum(RECORDING_FREQUENCIES),
                description: z.string().max(256).optional(),
              })
              .strict(),
          )
          .max(MAX_RECORDING_MODE_OVERRIDES, { error: `AWS Config takes ${MAX_RECORDING_MODE_OVERRIDES} recording frequency override per recorder; list every resource type of the other frequency in one` })
          .default([]),
        /**
         * The one region whose recorders also record the global IAM resource types (users, groups,
         * roles, policies), so that each is recorded once per account.
         * @default homeRegion, applied in config/names.ts
         */
        globalResourceTypesRegion: region.optional(),
        snapshotDeliveryFrequency: z.enum(SNAPSHOT_DELIVERY_FREQUENCIES).default('TwentyFour_Hours'),
        /** Days the unlocked Config bucket keeps what Config delivered; the archive keeps the replicas under its Object Lock. */
        deliveryBucketRetentionDays: positiveDays.default(90),
        /**
         * Root or OU ids whose accounts get a recorder from the StackSet.
         * @default the organization root (organization.rootId), applied in config/names.ts
         */
        targets: z.array(organizationTarget).optional(),
      })
      .strict()
      .prefault({}),
    securityHub: z
      .object({
        /** Security Hub CSPM, configured centrally for the organization from the Audit account. */
        enabled: z.boolean().default(true),
        /** CIS AWS Foundations Benchmark version, enabled with AWS Foundational Security Best Practices. */
        cisVersion: z.enum(CIS_BENCHMARK_VERSIONS).default(NEWEST_CIS_BENCHMARK_VERSION),
        /** Controls switched off in every account and region, each with the reason a reviewer reads. */
        disabledControls: z
          .array(
            z
              .object({
                id: z.string().regex(SECURITY_CONTROL_ID_PATTERN, { error: 'a security control id, e.g. IAM.6 or EC2.10' }),
                reason: z.string().min(10, { error: 'say why the control is switched off, in a sentence a reviewer can check' }),
              })
              .strict(),
          )
          .default([]),
        /**
         * Root or OU ids the configuration policy is associated with.
         * @default the organization root (organization.rootId), applied in config/names.ts
         */
        targets: z.array(organizationTarget).optional(),
      })
      .strict()
      .prefault({}),
    accessAnalyzer: z
      .object({
        /** An organization analyzer of external access in every governed region, in the Audit account. */
        enabled: z.boolean().default(true),
        unusedAccess: z
          .object({
            /** One organization analyzer of unused access (priced per IAM role and user it monitors). */
            enabled: z.boolean().default(true),
            /** Days without use after which a role, user, key or permission is reported. */
            ageDays: z.number().int().min(UNUSED_ACCESS_AGE_DAYS.min).max(UNUSED_ACCESS_AGE_DAYS.max).default(90),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    dataPerimeter: z
      .object({
        /**
         * Resource control policies on the Log Archive and Audit accounts: their S3 and KMS
         * resources are reachable only from the organization and by AWS services acting for it.
         */
        enabled: z.boolean().default(true),
        /**
         * Accounts outside the organization that may still reach them, e.g. the Elastic Load
         * Balancing account that writes access logs in regions older than August 2022.
         */
        trustedAccountIds: z.array(accountId).default([]),
      })
      .strict()
      .prefault({}),
    /** The organization's other logs, each type opt-in (docs/log-collection.md). */
    logCollection: z
      .object({
        loadBalancerLogs: z
          .object({
            /** A bucket per governed region in the Log Archive for ALB/CLB logs (SSE-S3) and one for NLB logs (SSE-KMS). */
            enabled: z.boolean().default(false),
            /** Days the access logs are kept; at least the archive's Object Lock retention when `evidence` is true. */
            retentionDays: positiveDays.default(365),
            transitions: z.array(transition).default([{ days: 90, storageClass: 'GLACIER_IR' }]),
            /** The logs are evidence: their retention may not be shorter than the archive's. */
            evidence: z.boolean().default(false),
            /**
             * Also grant the legacy regional ELB account in the regions opened before August 2022. It
             * cannot be limited by organization, so the policy lists every account's prefix and grows
             * with the accounts; AWS recommends the service principal, which every bucket grants.
             */
            legacyElbAccountPrincipal: z.boolean().default(false),
            /** An organization AWS Config rule (ELB_LOGGING_ENABLED) per region; needs the Config recorders of the compliance stack. */
            configRule: z.boolean().default(false),
            /** Glue table over the ALB logs in the analytics database; first projected day (yyyy/MM/dd). */
            projectionStartDate: z
              .string()
              .regex(/^\d{4}\/\d{2}\/\d{2}$/, { error: 'write the date as yyyy/MM/dd, e.g. 2024/01/01' })
              .default('2024/01/01'),
          })
          .strict()
          .prefault({}),
        cloudWatchLogs: z
          .object({
            /** Centralize the chosen log groups of every account and region into the Log Archive, and archive them through Firehose. */
            enabled: z.boolean().default(false),
            /** Log groups whose names start with one of these are collected. */
            logGroupPrefixes: z.array(z.string().min(1).max(512)).min(1).default(['/aws/lambda/', '/ecs/']),
            /** Also collect log groups encrypted with customer managed keys. */
            includeEncryptedLogGroups: z.boolean().default(true),
            /** Retention of the pipeline's own log groups (Firehose delivery errors, the function that sets the copies' retention). */
            pipelineLogRetentionDays: logRetentionDays.default(30),
            /**
             * Days the centralized copies in the Log Archive's CloudWatch Logs (`collected/ACCOUNT/REGION/...`,
             * read with Logs Insights) are kept: an hourly function sets it on every copy, since the
             * rule gives them none. The archive keeps its own copy for its Object Lock retention.
             */
            centralizedRetentionDays: logRetentionDays.default(90),
            /** The centralized copies are evidence: their retention may not be shorter than the archive's. */
            evidence: z.boolean().default(false),
            /** Days the unlocked staging bucket keeps Firehose's output after replicating it into the archive. */
            stagingRetentionDays: positiveDays.default(14),
            buffering: z
              .object({
                sizeMiB: z.number().int()
                  .min(FIREHOSE_BUFFER_SIZE_MIB.min, { error: `Firehose buffers ${FIREHOSE_BUFFER_SIZE_MIB.min}-${FIREHOSE_BUFFER_SIZE_MIB.max} MiB; use a value in that range` })
                  .max(FIREHOSE_BUFFER_SIZE_MIB.max, { error: `Firehose buffers ${FIREHOSE_BUFFER_SIZE_MIB.min}-${FIREHOSE_BUFFER_SIZE_MIB.max} MiB; use a value in that range` })
                  .default(64),
                intervalSeconds: z.number().int()
                  .min(FIREHOSE_BUFFER_INTERVAL_SECONDS.min, { error: `Firehose buffers ${FIREHOSE_BUFFER_INTERVAL_SECONDS.min}-${FIREHOSE_BUFFER_INTERVAL_SECONDS.max} seconds; use a value in that range` })
                  .max(FIREHOSE_BUFFER_INTERVAL_SECONDS.max, { error: `Firehose buffers ${FIREHOSE_BUFFER_INTERVAL_SECONDS.min}-${FIREHOSE_BUFFER_INTERVAL_SECONDS.max} seconds; use a value in that range` })
                  .default(300),
              })
              .strict()
              .prefault({}),
          })
          .strict()
          .prefault({}),
        /** Logs Insights queries on the trail's log group, one per investigation of the Athena saved queries. */
        insightsQueries: z.object({ enabled: z.boolean().default(false) }).strict().prefault({}),
        cloudTrailLake: z
          .object({
            /**
             * An organization event data store. CloudTrail Lake is closed to new customers since
             * 2026-05-31: only an organization that already uses it can create one.
             */
            enabled: z.boolean().default(false),
            billingMode: z.enum(['EXTENDABLE_RETENTION_PRICING', 'FIXED_RETENTION_PRICING']).default('EXTENDABLE_RETENTION_PRICING'),
            retentionDays: z.number().int().min(EVENT_DATA_STORE_RETENTION_DAYS.EXTENDABLE_RETENTION_PRICING.min).default(2557),
            /** The store is evidence: its retention may not be shorter than the archive's. */
            evidence: z.boolean().default(true),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    integrity: z
      .object({
        /** Verify every digest chain of the Organization trail every day, and alarm on tampering (docs/integrity.md). */
        enabled: z.boolean().default(true),
        /** Required with `enabled: false`: confirms that nothing will check the archive's integrity every day. */
        acknowledgeDisabled: z.boolean().default(false),
        /**
         * When the daily check runs, as an EventBridge Scheduler expression in UTC; it verifies the
         * previous UTC day, whose last digests arrive by about 01:30.
         */
        schedule: z
          .string()
          .regex(RECURRING_SCHEDULE_EXPRESSION, { error: `write an EventBridge Scheduler expression: ${SCHEDULE_EXPRESSION_HINT}` })
          .default('cron(30 2 * * ? *)'),
        /** Accounts and regions verified at once (the queue's maximum Lambda concurrency). */
        concurrency: z.number().int().min(SQS_MAXIMUM_CONCURRENCY.min).max(SQS_MAXIMUM_CONCURRENCY.max).default(10),
        alarm: z
          .object({
            /** Also alarm on periods without digests (log file validation or logging switched off), not only on tampering. */
            onGaps: z.boolean().default(true),
          })
          .strict()
          .prefault({}),
        /** Retention of the check's own log group. */
        logRetentionDays: logRetentionDays.default(365),
      })
      .strict()
      .prefault({}),
    guardrails: z
      .object({
        /** Service control policies that protect the trail, the archive, its key, GuardDuty and Security Lake. */
        enabled: z.boolean().default(true),
        /**
         * Organization root or OU ids the SCPs are attached to.
         * @default the organization root (organization.rootId), applied in config/names.ts
         */
        targets: z.array(organizationTarget).optional(),
      })
      .strict()
      .prefault({}),
    privacy: z
      .object({
        /**
         * Regions where the landing zone may keep log data (GDPR: where personal data is stored).
         * @default no limit
         */
        allowedRegions: z.array(region).min(1).optional(),
        /**
         * An SCP that refuses requests for any region that is not governed (the global services
         * exempt), so that no account keeps data where nobody watches. Turning it off is a choice
         * the config must state.
         */
        regionDeny: z.boolean().default(true),
        /**
         * CloudWatch Logs data protection on every log group the landing zone creates, and on the
         * log groups it centralizes into the Log Archive: the credential types AWS finds
         * (AwsSecretKey, OpenSshPrivateKey, PgpPrivateKey, PkcsPrivateKey, PuttyPrivateKey) are
         * always masked, with the personal data listed here (docs/gdpr.md, masking).
         */
        masking: z
          .object({
            /**
             * Personal data masked besides the credentials: EmailAddress (user, role and session
             * names that are e-mail addresses), IpAddress (source IP addresses). Metric filters,
             * subscription filters (the notifier's e-mails included) and readers without
             * logs:Unmask see asterisks instead; the S3 archive keeps the records unmasked.
             */
            identifiers: z
              .array(z.enum(PERSONAL_DATA_IDENTIFIERS, {
                error: (issue) => `${JSON.stringify(issue.input)} is not one of ${PERSONAL_DATA_IDENTIFIERS.join(', ')}; the credential types (${CREDENTIAL_DATA_IDENTIFIERS.join(', ')}) are always masked and are not listed here`,
              }))
              .default([...PERSONAL_DATA_IDENTIFIERS]),
            /** The log group in each account with masked log groups that receives the audit findings (which event held which kind of data, never the data). */
            findings: z
              .object({
                /** Retention of the findings log groups. */
                retentionDays: logRetentionDays.default(365),
              })
              .strict()
              .prefault({}),
            /**
             * Roles of the Log Archive account (ARNs, wildcards allowed for IAM Identity Center
             * roles) that may read its masked log groups unmasked (`logs:Unmask`): incident response.
             * The guardrails refuse it to every other principal there. The management account's log
             * groups (the trail's) are bound by no SCP: its own IAM policies decide (docs/gdpr.md).
             * @default nobody
             */
            unmaskRoles: z
              .array(z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/*-]+$/, { error: 'expected an IAM role ARN, e.g. arn:aws:iam::222222222222:role/acme-incident-responder' }))
              .default([]),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /**
     * Stacks this config no longer synthesizes on purpose: the guardduty-REGION stack of a region
     * removed from governedRegions, or security-lake once securityLake.enabled is false. Terraform
     * never plans a stack that is not synthesized, so its resources stay in AWS, managed by nobody:
     * `npm run diff` and the pull request check fail on a stack that disappears unless it is listed
     * here, after its resources were destroyed or handed over (docs/plan-review.md).
     */
    retiredStacks: z.array(z.string()).default([]),
  })
  .strict();

/** The config file as written (defaults not yet applied). */
export type ConfigInput = z.input<typeof configSchema>;
/** The config with every default applied. */
export type Config = z.output<typeof configSchema>;
