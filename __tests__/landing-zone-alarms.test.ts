/**
 * The landing zone's own alarms on the Organization trail, beside the CIS ones: GuardDuty silenced
 * (a suppression rule or a trusted IP list created or changed, in any account).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GUARDDUTY_SILENCED } from '../facts/landing-zone-alarms';
import { resources, stackOf, synthLandingZone } from './helpers';
import { matchesFilterPattern } from './support/filter-pattern';

const orgTrail = stackOf(synthLandingZone(), 'org-trail');

/** A GuardDuty management event as CloudTrail records it (fields the filter and a reader need). */
function guarddutyEvent(eventName: string, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::333333333333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice', accountId: '333333333333' },
    eventTime: '2026-01-01T10:00:00Z',
    eventSource: 'guardduty.amazonaws.com',
    eventName,
    awsRegion: 'eu-west-1',
    readOnly: /^(Get|List)/.test(eventName),
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: '333333333333',
    ...extra,
  };
}

describe('the GuardDuty silenced alarm', () => {
  const filter = resources(orgTrail, 'aws_cloudwatch_log_metric_filter').find((f) => f.name === 'acme-guardduty-findings-silenced');
  const alarm = resources(orgTrail, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === 'acme-guardduty-findings-silenced');

  test('counts matches on the trail log group and notifies the alarm topic on the first', () => {
    expect(filter).toMatchObject({
      pattern: GUARDDUTY_SILENCED.pattern,
      log_group_name: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.organization-trail_log-group_\w+\.name\}$/),
      metric_transformation: { name: 'GuardDutyFindingsSilenced', namespace: 'AuditLandingZone', value: '1' },
    });
    expect(alarm).toMatchObject({
      metric_name: 'GuardDutyFindingsSilenced',
      namespace: 'AuditLandingZone',
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      alarm_actions: [expect.stringMatching(/^\$\{aws_sns_topic\.alarm-topic_\w+\.arn\}$/)],
    });
  });

  test.each(['CreateFilter', 'UpdateFilter', 'CreateIPSet', 'UpdateIPSet'])('trips on %s, in any account', (eventName) => {
    expect(matchesFilterPattern(GUARDDUTY_SILENCED.pattern, guarddutyEvent(eventName))).toBe(true);
    expect(matchesFilterPattern(GUARDDUTY_SILENCED.pattern, guarddutyEvent(eventName, { recipientAccountId: '111111111111' }))).toBe(true);
  });

  test('also when the SCP refused the call: an attempt is worth a look', () => {
    expect(matchesFilterPattern(GUARDDUTY_SILENCED.pattern, guarddutyEvent('CreateFilter', { errorCode: 'AccessDenied' }))).toBe(true);
  });

  test.each(['GetFilter', 'ListFilters', 'DeleteFilter', 'CreateThreatIntelSet', 'GetFindings', 'ArchiveFindings'])('does not trip on %s', (eventName) => {
    expect(matchesFilterPattern(GUARDDUTY_SILENCED.pattern, guarddutyEvent(eventName))).toBe(false);
  });

  test('a CreateFilter of another service does not trip it', () => {
    expect(matchesFilterPattern(GUARDDUTY_SILENCED.pattern, guarddutyEvent('CreateFilter', { eventSource: 'inspector2.amazonaws.com' }))).toBe(false);
  });

  test('none of the real CloudTrail records of the CIS fixture trips it', () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'cis-filter-records.json'), 'utf8')) as { records: Array<{ event: Record<string, unknown> }> };
    expect(fixture.records.length).toBeGreaterThan(50);
    expect(fixture.records.filter((r) => matchesFilterPattern(GUARDDUTY_SILENCED.pattern, r.event)).map((r) => r.event.eventName)).toEqual([]);
  });
});
