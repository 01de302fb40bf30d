/**
 * Masking as a CloudWatch Logs data protection policy applies it at ingestion: in the text of the
 * log event (a CloudTrail record as CloudTrail delivers it, one JSON object), every match of a
 * masked identifier is replaced by asterisks ("By default, when a user views a log event that
 * includes masked data, the sensitive data is replaced by asterisks", PutDataProtectionPolicy), and
 * the filters then evaluate that text. The identifiers' patterns are those of facts/data-protection.ts.
 */
import { MASKED_DATA, type MaskedDataIdentifier } from '../../facts/data-protection';

/** The text with every match of the identifiers replaced by as many asterisks (only its capture group, where the pattern has one). */
export function maskText(text: string, identifiers: readonly MaskedDataIdentifier[]): string {
  let masked = text;
  for (const identifier of identifiers) {
    masked = masked.replace(MASKED_DATA[identifier].pattern, (match: string, group?: unknown) => {
      if (typeof group !== 'string') return '*'.repeat(match.length);
      const at = match.lastIndexOf(group);
      return `${match.slice(0, at)}${'*'.repeat(group.length)}${match.slice(at + group.length)}`;
    });
  }
  return masked;
}

/** A record as the filters see it once masked: masked in its JSON text, then parsed again (a mask never crosses a quote). */
export function maskRecord<T>(record: T, identifiers: readonly MaskedDataIdentifier[]): T {
  return JSON.parse(maskText(JSON.stringify(record), identifiers)) as T;
}
