/**
 * The jobs one instance runs at once, shared by its partition workers. A partition worker asks for
 * a slot before it takes a job and asks again, at the back of its line, for its next one: a
 * partition with a long backlog (one flooding sender) gets one turn like every other busy
 * partition, never all the slots.
 *
 * Each ask names a group (the partition's tenant lane, see tenant-lanes.ts). A free slot goes to
 * the groups with waiting asks in turn (round-robin), and within a group in the order asked
 * (FIFO): a tenant whose flood keeps all its lane's partitions asking gets every other turn when
 * one other lane waits, not the whole line. With one group this is plain FIFO.
 */
export class PartitionSlots {
  private free: number;
  private readonly lines = new Map<number, (() => void)[]>();
  /** Groups with waiting asks, next to be served first. */
  private readonly turns: number[] = [];
  private asking = 0;

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Slots in use. */
  get busy(): number {
    return this.size - this.free;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.asking;
  }

  acquire(group = 0): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let line = this.lines.get(group);
      if (line === undefined) this.lines.set(group, (line = []));
      if (line.length === 0) this.turns.push(group);
      line.push(resolve);
      this.asking++;
    });
  }

  release(): void {
    const group = this.turns.shift();
    if (group === undefined) {
      this.free = Math.min(this.size, this.free + 1);
      return;
    }
    const line = this.lines.get(group) as (() => void)[];
    const next = line.shift() as () => void;
    // Still waiting in this group: its turn comes again after the other groups'.
    if (line.length > 0) this.turns.push(group);
    this.asking--;
    next();
  }
}
