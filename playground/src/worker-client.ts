/**
 * The page's side of a worker: one request at a time, and only the newest waiting one (an edit
 * made while ResNet-152 compiles replaces the edits before it; their promises settle as stale).
 * A worker that fails to load or throws is a failure message, not a hung pane.
 */
import type { Failure, Reply, Request } from './protocol.js';

export type Outcome<R> = R | Failure | { ok: false; stale: true; message: string };

export class WorkerClient<J, R> {
  private worker: Worker | undefined;
  private nextId = 1;
  private running: { id: number; settle: (r: Outcome<R>) => void } | undefined;
  private waiting: { job: J; settle: (r: Outcome<R>) => void } | undefined;

  constructor(private readonly make: () => Worker) {}

  request(job: J): Promise<Outcome<R>> {
    return new Promise((settle) => {
      this.waiting?.settle({ ok: false, stale: true, message: 'replaced by a newer request' });
      this.waiting = { job, settle };
      if (!this.running) this.pump();
    });
  }

  private pump(): void {
    const next = this.waiting;
    if (!next) return;
    this.waiting = undefined;
    const w = this.ensure();
    const id = this.nextId++;
    this.running = { id, settle: next.settle };
    w.postMessage({ id, job: next.job } satisfies Request<J>);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = this.make();
    w.onmessage = (e: MessageEvent<Reply<R>>) => this.finish(e.data.id, e.data.result);
    // a worker that cannot load (a script error) or dies: fail what it holds and start afresh next time
    w.onerror = (e) => {
      e.preventDefault();
      this.worker?.terminate();
      this.worker = undefined;
      if (this.running) this.finish(this.running.id, { ok: false, message: `the worker failed: ${e.message || 'it could not be loaded'}` });
    };
    this.worker = w;
    return w;
  }

  private finish(id: number, result: R | Failure): void {
    if (!this.running || this.running.id !== id) return;
    const { settle } = this.running;
    this.running = undefined;
    settle(result);
    this.pump();
  }
}
