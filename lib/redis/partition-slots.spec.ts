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

describe('PartitionSlots with groups (tenant lanes)', () => {
  it('grants free slots to the groups with waiting asks in turn, FIFO within a group', async () => {
    const slots = new PartitionSlots(2);
    const granted: string[] = [];
    const ask = (who: string, group: number) => slots.acquire(group).then(() => granted.push(who));
    await Promise.all([ask('a1', 0), ask('a2', 0)]);
    // Tenant A's lane keeps asking; B's lane asks once, C's twice, after all of A's asks.
    const later = [
      ask('a3', 0),
      ask('a4', 0),
      ask('a5', 0),
      ask('b1', 1),
      ask('c1', 2),
      ask('c2', 2),
    ];
    expect(slots.waiting).toBe(6);
    for (let i = 0; i < 6; i++) slots.release();
    await Promise.all(later);
    expect(granted).toEqual(['a1', 'a2', 'a3', 'b1', 'c1', 'a4', 'c2', 'a5']);
    expect(slots.waiting).toBe(0);
    expect(slots.busy).toBe(2);
  });

  it('a group asking again after its turn goes behind the groups already waiting', async () => {
    const slots = new PartitionSlots(1);
    const granted: string[] = [];
    const ask = (who: string, group: number) => slots.acquire(group).then(() => granted.push(who));
    await ask('a1', 0);
    const b = ask('b1', 1);
    const c = ask('c1', 2);
    slots.release();
    await b;
    const a = ask('a2', 0);
    slots.release();
    slots.release();
    await Promise.all([a, c]);
    expect(granted).toEqual(['a1', 'b1', 'c1', 'a2']);
  });
});
