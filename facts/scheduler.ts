/** EventBridge Scheduler and Lambda facts the scheduled integrity check is built on. */

/** The recurring schedule expressions EventBridge Scheduler takes: six-field cron, or rate. */
export const RECURRING_SCHEDULE_EXPRESSION = /^(cron\((\S+ ){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/;

/** What to write instead of an expression Scheduler would refuse. */
export const SCHEDULE_EXPRESSION_HINT = 'cron(MINUTES HOURS DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), e.g. cron(30 2 * * ? *), or rate(1 day)';

/** The maximum concurrency an SQS event source mapping accepts (Lambda's ScalingConfig). */
export const SQS_MAXIMUM_CONCURRENCY = { min: 2, max: 1000 } as const;

/** Lambda's longest invocation. */
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
