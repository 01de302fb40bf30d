/** S3 facts: lifecycle storage classes and their minimum stays, and bucket naming rules. */

/** Storage classes an S3 lifecycle rule can move the archive's objects to. */
export const TRANSITION_STORAGE_CLASSES = [
  'STANDARD_IA', 'INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE',
] as const;

/** Days after creation before a lifecycle rule may move an object into the class. */
export const MINIMUM_TRANSITION_DAYS: Record<string, number> = { STANDARD_IA: 30, ONEZONE_IA: 30 };

/** Days an object must stay in a class before AWS lets a lifecycle rule move it on. */
export const MINIMUM_DAYS_IN_CLASS: Record<string, number> = {
  STANDARD_IA: 30,
  ONEZONE_IA: 30,
  INTELLIGENT_TIERING: 0,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};

/** The order S3 lifecycle transitions may go in (the "waterfall"). */
export const TRANSITION_ORDER = ['STANDARD_IA', 'INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];

/** S3 bucket naming rules, applied to the names derived from the prefix and account ids. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters long; bucket names have 3-63`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'may hold only lower-case letters, digits, dots and hyphens, and must start and end with a letter or digit';
  if (name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not hold two dots in a row or look like an IP address';
  if (name.startsWith('xn--') || name.endsWith('-s3alias') || name.endsWith('--ol-s3')) return 'uses a prefix or suffix S3 reserves';
  return undefined;
}

/**
 * Classes whose objects are archived: they must be restored before they can be read, and Athena
 * skips them (S3 user guide, "Understanding archival storage"; Athena user guide, "Query restored
 * Amazon S3 Glacier objects").
 */
export const ARCHIVAL_STORAGE_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];

/**
 * S3's default minimum size for lifecycle transitions (`all_storage_classes_128K`): smaller objects
 * stay where they are (S3 user guide, "Transitioning objects using Amazon S3 Lifecycle").
 */
export const TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZE = 'all_storage_classes_128K';
export const TRANSITION_MINIMUM_OBJECT_BYTES = 128 * 1024;
