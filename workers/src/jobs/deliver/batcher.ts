/**
 * Gathers items submitted one by one (one per bull job) and runs them together: flushed when
 * `maxSize` are waiting or `lingerMs` after the first. Each submitter gets its own item's result;
 * if the whole run throws, every item of that run gets the error.
 */
export class MicroBatcher<I, O> {
  private waiting: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: {
      maxSize: number;
      lingerMs: number;
      /** Returns one result per item, in the items' order. */
      run: (items: I[]) => Promise<O[]>;
    },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.options.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.options
      .run(batch.map((b) => b.item))
      .then((results) => batch.forEach((b, i) => b.resolve(results[i]!)))
      .catch((error: unknown) => batch.forEach((b) => b.reject(error)));
  }
}
