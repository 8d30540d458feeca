// Many small DynamoDB requests (a batch's parts, the batches a commit finished) run a few
// at a time: one by one is slow for hundreds, all at once only meets throttling sooner.
export const defaultRequestsInFlight = 8;

/** Maps `items` through `run`, at most `inFlight` at a time; results in item order. */
export async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>, inFlight = defaultRequestsInFlight): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += inFlight) {
    results.push(...(await Promise.all(items.slice(start, start + inFlight).map(run))));
  }
  return results;
}
