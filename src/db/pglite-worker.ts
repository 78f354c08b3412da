// The worker thread that owns the embedded database (src/db/pglite-thread.ts starts it): PGlite
// runs PostgreSQL synchronously, so here a long statement blocks this thread, not the server's.
// Calls are started in the order they arrive and never wait for each other here: PGlite's own
// locks order them, exactly as they would order the same calls made on the main thread.
import { parentPort } from 'node:worker_threads';
import { PGlite, messages, type QueryOptions, type Transaction } from '@electric-sql/pglite';
import type { Call, QueryCallOptions, Reply, SentError } from './pglite-thread.js';
import { fsyncRequested, passFsyncsToDisk } from './pglite-durability.js';

type OpenTransaction = { tx: Transaction; commit(): void; abort(reason: unknown): void; ending: Promise<unknown> };

const port = parentPort!;
let db: PGlite | undefined;
const transactions = new Map<number, OpenTransaction>();
const aborted = Symbol('aborted by the caller');
const unparsed = (value: string) => value;

const opened = () => db ?? Promise.reject(new Error('the embedded database is not open'));

// Types the caller parses itself arrive as PostgreSQL's text (parsers are functions: they stay on its side).
function queryOptions({ rowMode, paramTypes, unparsedTypes }: QueryCallOptions = {}): QueryOptions {
  return { rowMode, paramTypes, parsers: Object.fromEntries((unparsedTypes ?? []).map((type) => [type, unparsed])) };
}

async function target(tx: number | undefined) {
  if (tx === undefined) return opened();
  const open = transactions.get(tx);
  if (!open) throw new Error('Transaction is closed');
  return open.tx;
}

async function begin(id: number) {
  const database = await opened();
  const open = {} as OpenTransaction;
  await new Promise<void>((began, failed) => {
    open.ending = database.transaction(
      (tx) =>
        new Promise<void>((commit, abort) => {
          Object.assign(open, { tx, commit, abort });
          began();
        }),
    );
    open.ending.catch(failed);
  });
  transactions.set(id, open);
}

async function end(id: number, commit: boolean) {
  const open = transactions.get(id);
  if (!open) throw new Error('Transaction is closed');
  transactions.delete(id);
  if (commit) open.commit();
  else open.abort(aborted);
  try {
    await open.ending;
  } catch (error) {
    if (error !== aborted) throw error;
  }
}

async function run({ method, args, tx }: Call): Promise<unknown> {
  switch (method) {
    case 'open': {
      const [dataDir, options] = args as [string, { startParams?: string[] } | undefined];
      db = await PGlite.create(dataDir, options);
      if (fsyncRequested(options?.startParams)) passFsyncsToDisk(db);
      return;
    }
    case 'query': {
      const [sql, params, options] = args as [string, unknown[] | undefined, QueryCallOptions | undefined];
      return (await target(tx)).query(sql, params, queryOptions(options));
    }
    case 'exec': {
      const [sql, options] = args as [string, QueryCallOptions | undefined];
      return (await target(tx)).exec(sql, queryOptions(options));
    }
    case 'rollback': {
      const open = transactions.get(tx!);
      if (!open) throw new Error('Transaction is closed');
      return open.tx.rollback();
    }
    case 'begin':
      return begin(args[0] as number);
    case 'end':
      return end(args[0] as number, args[1] as boolean);
    case 'refreshArrayTypes':
      return (await opened()).refreshArrayTypes();
    case 'dumpDataDir':
      return (await opened()).dumpDataDir(args[0] as 'none' | 'gzip' | 'auto' | undefined);
    case 'close': {
      const closing = await opened();
      db = undefined;
      return closing.close();
    }
  }
}

// Only what survives structured cloning crosses back: PGlite adds the query's options (functions) to its errors.
function send(error: unknown): SentError {
  if (!(error instanceof Error)) return { database: false, message: String(error), fields: {} };
  const fields = Object.fromEntries(Object.entries(error).filter(([key, value]) => key !== 'queryOptions' && key !== 'params' && typeof value !== 'function'));
  return { database: error instanceof messages.DatabaseError, message: error.message, fields, stack: error.stack };
}

function reply(message: Reply) {
  try {
    port.postMessage(message);
  } catch (error) {
    // Something in the answer cannot be cloned: the caller must still hear back.
    port.postMessage({ id: message.id, error: send(new Error(`could not send the answer: ${(error as Error).message}`)) } satisfies Reply);
  }
}

port.on('message', (call: Call) => {
  run(call).then(
    (result) => reply({ id: call.id, result }),
    (error) => reply({ id: call.id, error: send(error) }),
  );
});
