import { describe, expect, it } from '@jest/globals';
import { PartitionSlots } from './partition-slots.js';

describe('PartitionSlots', () => {
  it('grants at most `size` slots and the next ones in the order they were asked for', async () => {
    const slots = new PartitionSlots(2);
    const granted: string[] = [];
    const ask = (who: string) => slots.acquire().then(() => granted.push(who));
    await Promise.all([ask('a'), ask('b')]);
    const later = [ask('flood-2'), ask('other'), ask('flood-3')];
    await Promise.resolve();
    expect(granted).toEqual(['a', 'b']);
    expect(slots.busy).toBe(2);
    slots.release();
    slots.release();
    slots.release();
    await Promise.all(later);
    expect(granted).toEqual(['a', 'b', 'flood-2', 'other', 'flood-3']);
    slots.release();
    slots.release();
    slots.release(); // one too many: never more free slots than the size
    expect(slots.busy).toBe(0);
  });
});
