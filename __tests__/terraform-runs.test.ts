/** How stacks are shared out between terraform runs, so that no run holds too many provider processes. */
import { batchesOf } from '../scripts/terraform';

const weights: Record<string, number> = { organization: 1, 'guardduty-a': 2, 'guardduty-b': 2, 'log-collection': 2, analytics: 1, big: 7 };
const weigh = (id: string) => weights[id];

test('no batch weighs more than the limit, every stack is in exactly one, and the order within a batch is kept', () => {
  const ids = Object.keys(weights);
  const batches = batchesOf(ids, weigh, 6);
  expect(batches).toEqual([['organization', 'guardduty-a', 'guardduty-b', 'analytics'], ['log-collection'], ['big']]);
  expect(batches.flat().sort()).toEqual([...ids].sort());
});

test('a stack heavier than the limit runs alone, and a limit of one runs every stack alone', () => {
  expect(batchesOf(['big', 'organization'], weigh, 6)).toEqual([['big'], ['organization']]);
  expect(batchesOf(['organization', 'analytics'], weigh, 1)).toEqual([['organization'], ['analytics']]);
});
