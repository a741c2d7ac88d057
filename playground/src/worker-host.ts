/**
 * The worker's side of the protocol. The compiler core loads with a top-level await (the parser's
 * chevrotain), and a module worker drops the messages that arrive while its imports evaluate, so
 * the entry script listens first, with nothing imported but this file, and loads the handler after:
 * messages that came meanwhile wait in a queue. A handler that throws, or fails to load, answers
 * with a failure.
 */
import type { Failure, Reply, Request } from './protocol.js';

export interface Answer<R> {
  result: R | Failure;
  transfer?: Transferable[];
}

export type Handler<J, R> = (job: J) => Answer<R> | Promise<Answer<R>>;

export function serve<J, R>(load: () => Promise<Handler<J, R>>): void {
  const scope = self as unknown as Worker;
  const queue: Request<J>[] = [];
  let handler: Handler<J, R> | undefined;
  let loadError: string | undefined;

  const answer = async (req: Request<J>) => {
    let out: Answer<R>;
    try {
      out = handler ? await handler(req.job) : { result: { ok: false, message: `the worker could not load the compiler: ${loadError}` } };
    } catch (e) {
      out = { result: { ok: false, message: `internal compiler error (a bug in resdsl, please report it): ${e instanceof Error ? e.message : String(e)}` } };
    }
    scope.postMessage({ id: req.id, result: out.result } satisfies Reply<R>, out.transfer ?? []);
  };

  scope.onmessage = (e: MessageEvent<Request<J>>) => {
    if (handler || loadError !== undefined) void answer(e.data);
    else queue.push(e.data);
  };
  load().then(
    (h) => {
      handler = h;
    },
    (e: unknown) => {
      loadError = e instanceof Error ? e.message : String(e);
    },
  ).finally(() => {
    for (const req of queue.splice(0)) void answer(req);
  });
}
