/**
 * The error a promise rejects with, typed for inspection; fails when it resolves instead.
 * `const error = await rejectionOf<HubError>(hub.resolveFile(ref)); expect(error.hint).toMatch(...)`.
 */
export async function rejectionOf<E = Error>(promise: Promise<unknown>): Promise<E> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error(`expected a rejection, but the promise resolved to ${JSON.stringify(value)?.slice(0, 200)}`);
}
