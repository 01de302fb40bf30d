/**
 * An error's message, or the thrown value as text. Node's own errors (parseArgs's, for one) come
 * from another realm when a command runs in-process under jest, and fail `instanceof Error` there:
 * the message is read without that check.
 */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}
