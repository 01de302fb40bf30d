/**
 * The AWS emulator the rehearsal deploys into (`moto_server`, moto 5): how to run it, how to give
 * it an organization, and, in one place, what it cannot emulate and how the rehearsal works around it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { PROTECTION_OUTPUT } from '../modules/core/protection-output';
import { withDependents } from './stack-graph';

/**
 * What moto cannot emulate, each with the reason. Printed at the start of every rehearsal.
 * - `config`: a feature turned off in the rehearsed config (its stacks and resources then do not exist).
 * - `stack`: stacks left out whole (ids matched by the pattern), and every stack that depends on them.
 * - `resource-type`: resources removed from the synthesized stacks, with every resource or output that
 *   refers to them (listed as it happens); `depends_on` entries on them are dropped.
 * - `scan`: Prowler checks (`npm run scan`) from which the emulator can hide what was deployed, because
 *   it answers a call they make differently from AWS; unless they pass, they are reported NOT
 *   RUNNABLE with the reason.
 */
export type EmulatorLimit =
  | { readonly kind: 'config'; readonly field: string; readonly reason: string; readonly apply: (raw: Record<string, any>) => void }
  | { readonly kind: 'stack'; readonly stack: RegExp; readonly reason: string }
  | { readonly kind: 'resource-type'; readonly type: string; readonly reason: string }
  | { readonly kind: 'resource'; readonly address: RegExp; readonly reason: string }
  | { readonly kind: 'scan'; readonly checks: readonly string[]; readonly reason: string };

/**
 * The moto release the rehearsal is tested with (pinned in requirements-emulator.txt). Every reason below
 * was checked against this release; a newer one may lift a limit, so re-check them when it changes.
 * 5.2.5 finds a trail by ARN in StartLogging (5.2.1 gave the provider a 500). It runs in its own
 * virtualenv (requirements-emulator.txt): beside Checkov's old botocore it would refuse CloudWatch's
 * JSON protocol.
 */
export const EMULATOR_VERSION = '5.2.5';

export const EMULATOR_LIMITS: readonly EmulatorLimit[] = [
  {
    kind: 'config',
    field: 'securityLake.enabled: false',
    reason: 'moto has no Security Lake API, and its Organizations refuses securitylake.amazonaws.com as a delegated administrator service',
    apply: (raw) => void (raw.securityLake = { ...raw.securityLake, enabled: false }),
  },
  { kind: 'stack', stack: /^security-lake$/, reason: 'moto has no Security Lake API' },
  {
    kind: 'stack',
    stack: /^compliance$/,
    reason:
      'every account is the one emulator account, so the StackSet\'s recorder role in the member accounts collides with the management account\'s (EntityAlreadyExists), ' +
      'and moto 5.2.5 fails UpdateSecurityHubConfiguration with a 500; the compliance stack is validated and planned offline instead',
  },
  {
    kind: 'config',
    field: 'logCollection.*.enabled: false',
    reason: 'moto has no CloudWatch ObservabilityAdmin (the centralization rule\'s CloudFormation type), no account-level log policies, no CloudTrail Lake and no organization Config rules; the log collection stacks are validated and planned offline instead (docs/log-collection.md)',
    apply: (raw) => void (raw.logCollection = {
      loadBalancerLogs: { ...raw.logCollection?.loadBalancerLogs, enabled: false },
      cloudWatchLogs: { ...raw.logCollection?.cloudWatchLogs, enabled: false },
      insightsQueries: { ...raw.logCollection?.insightsQueries, enabled: false },
      cloudTrailLake: { ...raw.logCollection?.cloudTrailLake, enabled: false },
    }),
  },
  {
    kind: 'resource',
    address: /^aws_iam_role(_policy|_policy_attachment)?\.identities-(logArchive|audit)_/,
    reason: 'every account is the one emulator account, where the management account\'s deployment, plan and break-glass roles of the same names already exist (EntityAlreadyExists)',
  },
  {
    kind: 'resource',
    address: /^aws_(cloudwatch_log_group|kms_key|kms_alias)\.data-protection-findings_/,
    reason: 'every account is the one emulator account, where the management account\'s and the Log Archive\'s data protection findings log groups (and key aliases) of the same name collide; the data protection policies reporting into them are left out too',
  },
  { kind: 'resource-type', type: 'aws_cloudtrail_organization_delegated_admin_account', reason: 'moto has not implemented CloudTrail RegisterOrganizationDelegatedAdmin (500)' },
  { kind: 'resource-type', type: 'aws_guardduty_organization_configuration', reason: 'moto has no GuardDuty UpdateOrganizationConfiguration (404)' },
  { kind: 'resource-type', type: 'aws_guardduty_organization_configuration_feature', reason: 'moto has no GuardDuty UpdateOrganizationConfiguration (404)' },
  { kind: 'resource-type', type: 'aws_guardduty_detector_feature', reason: 'moto UpdateDetector replaces the whole feature list instead of merging, so only the last feature applied survives' },
  { kind: 'resource-type', type: 'aws_guardduty_publishing_destination', reason: 'moto has no GuardDuty publishing destinations (404)' },
  { kind: 'resource-type', type: 'aws_cloudwatch_log_data_protection_policy', reason: 'moto 5.2.5 has no CloudWatch Logs data protection policies (PutDataProtectionPolicy); the policies are validated and planned offline instead' },
  { kind: 'resource-type', type: 'aws_securitylake_data_lake', reason: 'moto has no Security Lake API' },
  { kind: 'resource-type', type: 'aws_securitylake_aws_log_source', reason: 'moto has no Security Lake API' },
  { kind: 'resource-type', type: 'aws_securitylake_subscriber', reason: 'moto has no Security Lake API' },
  { kind: 'resource-type', type: 'aws_oam_sink', reason: 'moto has no CloudWatch Observability Access Manager API (its sink policy and links go with it)' },
  { kind: 'resource-type', type: 'aws_s3_bucket_metric', reason: 'moto 5 has no PutBucketMetricsConfiguration' },
  { kind: 'resource-type', type: 'aws_organizations_resource_policy', reason: 'moto 5 Organizations has no PutResourcePolicy' },
  {
    kind: 'resource-type',
    type: 'aws_organizations_delegated_administrator',
    reason: 'moto registers delegated administrators for a few services only, not config.amazonaws.com nor StackSets (member.org.stacksets.cloudformation.amazonaws.com): InvalidInputException',
  },
  { kind: 'resource-type', type: 'aws_accessanalyzer_analyzer', reason: 'moto has no IAM Access Analyzer API' },
  {
    kind: 'resource-type',
    type: 'aws_securityhub_organization_admin_account',
    reason: 'moto has no Security Hub ListOrganizationAdminAccounts, with which the provider reads the designation back',
  },
  { kind: 'resource-type', type: 'aws_securityhub_finding_aggregator', reason: 'moto has no Security Hub finding aggregators (CreateFindingAggregator)' },
  {
    kind: 'resource-type',
    type: 'aws_securityhub_organization_configuration',
    reason: 'moto requires a Status in OrganizationConfiguration, which AWS reports but the provider does not send (InvalidInputException)',
  },
  { kind: 'resource-type', type: 'aws_securityhub_configuration_policy', reason: 'moto has no Security Hub central configuration (configuration policies)' },
  { kind: 'resource-type', type: 'aws_securityhub_configuration_policy_association', reason: 'moto has no Security Hub central configuration (configuration policy associations)' },
  {
    kind: 'scan',
    checks: ['cloudtrail_s3_dataevents_read_enabled', 'cloudtrail_s3_dataevents_write_enabled'],
    reason:
      'moto lists a multi-region trail in every region but answers GetEventSelectors only in its home region (TrailNotFoundException elsewhere); ' +
      'Prowler reads the selectors in whichever region listed the trail last, so in some runs it sees none',
  },
];

/** Attributes moto does not store, so a second plan always shows them changing; nothing else may change. */
export const TOLERATED_DRIFT: ReadonlyArray<{
  readonly type: string;
  readonly attribute: string;
  readonly reason: string;
  /** Tolerated only while the JSON read back equals the JSON configured, written differently. */
  readonly sameJson?: true;
}> = [
  { type: 'aws_kms_key', attribute: 'rotation_period_in_days', reason: 'moto does not store a key\'s rotation period and reads it back as 0' },
  { type: 'aws_sqs_queue', attribute: 'redrive_policy', reason: 'moto 5.2.5 reads a queue\'s RedrivePolicy back re-serialized (spaces after ":" and ","), and the provider compares it as text', sameJson: true },
  { type: 'aws_lambda_function', attribute: 'dead_letter_config', reason: 'moto does not store a function\'s dead-letter queue' },
  { type: 'aws_lambda_function', attribute: 'logging_config', reason: 'moto does not store a function\'s logging configuration' },
  { type: 'aws_s3_bucket_replication_configuration', attribute: 'rule', reason: 'moto 5.2.5 drops a replication rule\'s filter prefix and its source selection criteria (SseKmsEncryptedObjects) and reads the rule back without them' },
  { type: 'aws_config_configuration_recorder', attribute: 'recording_mode', reason: 'moto does not store a recorder\'s recording mode (frequency and overrides) and reads none back' },
];

export function describeLimits(limits: readonly EmulatorLimit[] = EMULATOR_LIMITS): string[] {
  return limits.map((l) => {
    if (l.kind === 'config') return `config      ${l.field}: ${l.reason}`;
    if (l.kind === 'stack') return `stack       ${l.stack.source.replace(/^\^|\$$/g, '')}: ${l.reason}`;
    if (l.kind === 'scan') return `scan        ${l.checks.join(', ')}: ${l.reason}`;
    if (l.kind === 'resource') return `resource    ${l.address.source.replace(/^\^|\\/g, '')}: ${l.reason}`;
    return `resource    ${l.type}: ${l.reason}`;
  });
}

/** Stacks left out, each with why: matched by a limit, or depending on a stack that is left out. */
export function excludedStacks(
  stacks: ReadonlyArray<{ readonly id: string; readonly dependencies: readonly string[] }>,
  limits: readonly EmulatorLimit[] = EMULATOR_LIMITS,
): Map<string, string> {
  const roots = new Map<string, string>();
  for (const stack of stacks) {
    const limit = limits.find((l) => l.kind === 'stack' && l.stack.test(stack.id));
    if (limit) roots.set(stack.id, limit.reason);
  }
  return withDependents(stacks, roots);
}

interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
}

export interface RemovedResource {
  readonly address: string;
  readonly reason: string;
  /** Left out one by one (a `resource` limit): the other resources of its type stay. */
  readonly singly?: true;
}

/**
 * Removes the resources of excluded types from one synthesized stack (`cdk.tf.json`, parsed), and
 * then every resource and output that refers to a removed one. Returns what was removed and why.
 */
export function removeExcludedResources(json: TerraformJson, limits: readonly EmulatorLimit[] = EMULATOR_LIMITS): RemovedResource[] {
  const removed: RemovedResource[] = [];
  const gone = new Set<string>();
  for (const limit of limits) {
    if (limit.kind === 'resource') {
      for (const [type, byName] of Object.entries(json.resource ?? {})) {
        for (const name of Object.keys(byName).filter((n) => limit.address.test(`${type}.${n}`))) {
          removed.push({ address: `${type}.${name}`, reason: limit.reason, singly: true });
          gone.add(`${type}.${name}`);
          delete byName[name];
        }
        if (Object.keys(byName).length === 0) delete json.resource![type];
      }
      continue;
    }
    if (limit.kind !== 'resource-type' || !json.resource?.[limit.type]) continue;
    for (const name of Object.keys(json.resource[limit.type])) {
      removed.push({ address: `${limit.type}.${name}`, reason: limit.reason });
      gone.add(`${limit.type}.${name}`);
    }
    delete json.resource[limit.type];
  }
  const refersTo = (block: Record<string, unknown>) => {
    const text = JSON.stringify({ ...block, depends_on: undefined });
    return [...gone].find((address) => text.includes(`${address}.`) || text.includes(`${address}}`) || text.includes(`${address}[`));
  };
  let grew = gone.size > 0;
  while (grew) {
    grew = false;
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, block] of Object.entries(byName)) {
        const target = refersTo(block);
        if (!target) continue;
        removed.push({ address: `${type}.${name}`, reason: `refers to ${target}, which is left out` });
        gone.add(`${type}.${name}`);
        delete byName[name];
        grew = true;
      }
      if (Object.keys(byName).length === 0) delete json.resource![type];
    }
  }
  // the protection manifest names resources by address, not by reference: drop the ones removed
  const manifest = json.output?.[PROTECTION_OUTPUT]?.value;
  if (manifest && typeof manifest === 'object') {
    for (const address of gone) delete (manifest as Record<string, unknown>)[address];
  }
  for (const [name, block] of Object.entries(json.output ?? {})) {
    if (name === PROTECTION_OUTPUT) continue;
    const target = refersTo(block);
    if (target) {
      removed.push({ address: `output.${name}`, reason: `refers to ${target}, which is left out` });
      delete json.output![name];
    }
  }
  for (const byName of Object.values(json.resource ?? {})) {
    for (const block of Object.values(byName)) {
      if (Array.isArray(block.depends_on)) {
        block.depends_on = (block.depends_on as string[]).filter((d) => !gone.has(d));
        if ((block.depends_on as string[]).length === 0) delete block.depends_on;
      }
    }
  }
  return removed;
}

/**
 * Writes every bucket policy's `"Principal": "*"` as `{"AWS": "*"}`, which IAM treats the same
 * (IAM JSON policy reference, "All principals"): moto 5.2.5's PutBucketLogging reads the target
 * bucket's policy and fails with a 500 on a principal that is a string. Returns how many were rewritten.
 */
export function principalsAsObjects(json: TerraformJson): number {
  let rewritten = 0;
  for (const block of Object.values(json.resource?.aws_s3_bucket_policy ?? {})) {
    if (typeof block.policy !== 'string') continue;
    block.policy = block.policy.replace(/"Principal":"\*"/g, () => {
      rewritten++;
      return '"Principal":{"AWS":"*"}';
    });
  }
  return rewritten;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface MotoServer {
  readonly endpoint: string;
  readonly process: ChildProcess;
  /** Stops the server (its whole process group); safe to call twice. */
  stop(): void;
}

/**
 * Runs moto_server under a small shell that stops it as soon as our end of its stdin closes, so the
 * server never outlives this process, even when it is killed without a chance to clean up.
 */
const SUPERVISED_MOTO = [
  'command -v moto_server >/dev/null || { echo "moto_server not found: install requirements-emulator.txt (docs/rehearsal.md)" >&2; exit 127; }',
  'moto_server -H 127.0.0.1 -p "$1" & server=$!',
  'trap \'kill $server 2>/dev/null\' EXIT TERM INT',
  'read -r _ || true',
].join('\n');

/** Starts `moto_server` on 127.0.0.1:port, its output appended to logFile, and waits until it answers. */
export async function startMoto(
  port: number,
  logFile: string,
  timeoutMs = 30_000,
  options: {
    /**
     * Load AWS managed policies (AdministratorAccess, ReadOnlyAccess, ...) into every account's IAM,
     * as AWS has them; moto leaves them out unless asked, and loading them costs each account a second. @default false
     */
    readonly awsManagedPolicies?: boolean;
  } = {},
): Promise<MotoServer> {
  const log = fs.openSync(logFile, 'a');
  const env = { ...process.env, ...(options.awsManagedPolicies ? { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } : {}) };
  // Own process group (detached), so that stop() ends the shell and the server together, and
  // nothing else; the stdin pipe stays open for as long as this process lives.
  const child = spawn('sh', ['-c', SUPERVISED_MOTO, 'moto', String(port)], { stdio: ['pipe', log, log], detached: true, env });
  fs.closeSync(log);
  let exited = false;
  const spawnError = new Promise<never>((_, reject) => {
    child.on('error', (error) => reject(new Error(`cannot start moto_server: ${error.message}`)));
    child.on('exit', (code) => {
      exited = true;
      reject(new Error(`moto_server exited (${code}) before it answered; see ${logFile}`));
    });
  });
  spawnError.catch(() => undefined);
  const server: MotoServer = {
    endpoint: `http://127.0.0.1:${port}`,
    process: child,
    stop() {
      child.stdin?.destroy();
      if (exited || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      exited = true;
    },
  };
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const answered = await Promise.race([answers(`${server.endpoint}/moto-api/`), spawnError]);
      if (answered) return server;
      if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${server.endpoint} within ${timeoutMs / 1000} s; see ${logFile}`);
      // the server answers about half a second after it starts: a refused connection costs little
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (error) {
    server.stop();
    throw error;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** One call to moto's AWS Organizations API (JSON protocol; moto does not check signatures). */
function organizations(endpoint: string, operation: string, body: Record<string, unknown>): Promise<any> {
  return awsJson(endpoint, 'organizations', 'us-east-1', `AWSOrganizationsV20161128.${operation}`, body);
}

export interface EmulatedOrganization {
  readonly id: string;
  readonly rootId: string;
  readonly managementAccountId: string;
  /** Ids of the accounts created, by the name asked for. */
  readonly accounts: Readonly<Record<string, string>>;
}

/** Creates the organization (all features) with member accounts, as an organization is before the landing zone. */
export async function createOrganization(endpoint: string, accountNames: readonly string[]): Promise<EmulatedOrganization> {
  const { Organization } = await organizations(endpoint, 'CreateOrganization', { FeatureSet: 'ALL' });
  const { Roots } = await organizations(endpoint, 'ListRoots', {});
  const accounts: Record<string, string> = {};
  for (const name of accountNames) {
    const { CreateAccountStatus } = await organizations(endpoint, 'CreateAccount', { AccountName: name, Email: `${name}@example.com` });
    accounts[name] = CreateAccountStatus.AccountId;
  }
  return { id: Organization.Id, rootId: Roots[0].Id, managementAccountId: Organization.MasterAccountId, accounts };
}

/** One call to an AWS JSON-protocol API of the emulator; moto takes the region from the credential scope. */
async function awsJson(endpoint: string, service: string, region: string, target: string, body: Record<string, unknown>): Promise<any> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': target,
      Authorization: `AWS4-HMAC-SHA256 Credential=offline/20250101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto ${target} in ${region} failed (${response.status}): ${text}`);
  return JSON.parse(text);
}

/** The customer managed KMS keys the emulator holds in a region. */
export async function emulatedCustomerKeys(endpoint: string, region: string): Promise<Array<{ readonly id: string; readonly description: string }>> {
  const keys: Array<{ id: string; description: string }> = [];
  let marker: string | undefined;
  do {
    const page = await awsJson(endpoint, 'kms', region, 'TrentService.ListKeys', marker ? { Marker: marker } : {});
    for (const { KeyId } of page.Keys as Array<{ KeyId: string }>) {
      const { KeyMetadata } = await awsJson(endpoint, 'kms', region, 'TrentService.DescribeKey', { KeyId });
      if (KeyMetadata.KeyManager === 'CUSTOMER') keys.push({ id: KeyId, description: KeyMetadata.Description ?? '' });
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return keys;
}

/** The names of every S3 bucket the emulator holds. */
export async function emulatedBuckets(endpoint: string): Promise<string[]> {
  const response = await fetch(`${endpoint}/`, {
    headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=offline/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto S3 ListBuckets failed (${response.status}): ${text}`);
  return [...text.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
}
