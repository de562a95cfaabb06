/**
 * The jobs one instance runs at once, shared by its partition workers, granted in the order asked
 * (FIFO). A partition worker asks for a slot before it takes a job and asks again, at the back of
 * the line, for its next one: a partition with a long backlog (one flooding sender) gets one turn
 * in line like every other busy partition, never all the slots.
 */
export class PartitionSlots {
  private free: number;
  private readonly queue: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Slots in use. */
  get busy(): number {
    return this.size - this.free;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  release(): void {
    const next = this.queue.shift();
    if (next !== undefined) next();
    else this.free = Math.min(this.size, this.free + 1);
  }
}
