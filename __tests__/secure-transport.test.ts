/**
 * The TLS-only rule as scanners read it, across every policy the whole landing zone synthesizes
 * (bucket, topic, key and role policies, SCPs): `aws:SecureTransport` is always the string
 * `"false"`, the form the IAM reference and S3's examples use, which Prowler's
 * s3_bucket_secure_transport_policy (CIS 3.1.1) requires; the JSON boolean it would miss.
 */
import { exampleConfig, type SynthesizedJson, synthLandingZone } from './helpers';

interface FoundPolicy {
  readonly where: string;
  readonly document: { Statement?: Array<{ Sid?: string; Condition?: Record<string, Record<string, unknown>> }> };
}

/** Every policy document in a synthesized stack: each string attribute, at any depth, that is one. */
function policies(stack: string, json: SynthesizedJson): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  const visit = (value: unknown, where: string) => {
    if (typeof value === 'string' && value.trimStart().startsWith('{') && value.includes('"Statement"')) {
      found.push({ where, document: JSON.parse(value) });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${where}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`);
    }
  };
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, block] of Object.entries(byName)) visit(block, `${stack}: ${type}.${name}`);
  }
  return found;
}

/** Every `aws:SecureTransport` condition value, with where it is. */
function secureTransportConditions(found: readonly FoundPolicy[]): Array<{ where: string; value: unknown }> {
  return found.flatMap(({ where, document }) =>
    (document.Statement ?? []).flatMap((s) =>
      Object.values(s.Condition ?? {}).flatMap((operator) =>
        Object.entries(operator)
          .filter(([key]) => key.toLowerCase() === 'aws:securetransport')
          .map(([, value]) => ({ where: `${where} ${s.Sid ?? ''}`, value })),
      ),
    ),
  );
}

describe('aws:SecureTransport in every synthesized policy of the landing zone', () => {
  const everything = exampleConfig((raw) => {
    raw.securityLake = { ...raw.securityLake, enabled: true };
    raw.notifier = { ...raw.notifier, enabled: true };
  });
  const stacks = synthLandingZone(everything);
  const found = [...stacks].flatMap(([id, json]) => policies(id, json));
  const conditions = secureTransportConditions(found);

  test('is the string "false" wherever it appears', () => {
    expect(conditions.filter((c) => c.value !== 'false')).toEqual([]);
  });

  test('guards every bucket policy and every topic policy', () => {
    const resourceOf = (where: string) => /^[^:]+: \w+\.[^.\s]+/.exec(where)![0];
    const guarded = new Set(conditions.map((c) => resourceOf(c.where)));
    const policyResources = [...stacks].flatMap(([id, json]) =>
      ['aws_s3_bucket_policy', 'aws_sns_topic_policy'].flatMap((type) => Object.keys(json.resource?.[type] ?? {}).map((name) => `${id}: ${type}.${name}`)),
    );
    expect(policyResources.length).toBeGreaterThanOrEqual(6);
    expect(policyResources.filter((r) => !guarded.has(r))).toEqual([]);
  });

  test('the walk finds the policies of every stack', () => {
    const stacksWithPolicies = new Set(found.map((p) => p.where.split(':')[0]));
    expect([...stacks.keys()].filter((id) => !stacksWithPolicies.has(id))).toEqual([]);
  });
});
