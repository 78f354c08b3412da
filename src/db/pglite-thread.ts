// The embedded database on a worker thread (src/db/pglite-worker.ts). PGlite executes a statement
// synchronously on the thread that owns it; owned by the server's thread, one long statement would
// stall every other request's HTTP work and even /healthz. This class offers the part of PGlite's
// interface that pglite-prisma-adapter and this project call, and forwards each call to the worker.
// A long statement still holds PGlite's single connection: other database work waits for it.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { messages, type PGlite, type PGliteOptions, type QueryOptions, type Results, type RowMode } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

type Method = 'open' | 'query' | 'exec' | 'rollback' | 'begin' | 'end' | 'refreshArrayTypes' | 'dumpDataDir' | 'close';
export type Call = { id: number; method: Method; args: unknown[]; tx?: number };
export type SentError = { database: boolean; message: string; fields: Record<string, unknown>; stack?: string };
export type Reply = { id: number; result?: unknown; error?: SentError };
/** Query options as they cross to the worker: `unparsedTypes` come back as text, to be parsed here. */
export type QueryCallOptions = { rowMode?: RowMode; paramTypes?: number[]; unparsedTypes?: number[] };

/** Options of PGlite.create that survive structured cloning (no extensions, file systems or functions). */
export type PGliteThreadOptions = Pick<
  PGliteOptions,
  'username' | 'database' | 'debug' | 'relaxedDurability' | 'loadDataDir' | 'initialMemory' | 'startParams'
>;

type ThreadTransaction = {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string, options?: QueryOptions): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
};

type Pending = { resolve(value: unknown): void; reject(error: unknown): void; context?: object };

// Built into dist/, the worker is JavaScript. Under tsx or vitest it is TypeScript and needs tsx's
// loader, which Node 20 does not apply to a worker's entry module when given in its execArgv, so a
// small bootstrap registers it and then imports the worker.
function startWorker() {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', here));
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(here).resolve('tsx/package.json')));
  const entry = new URL('./pglite-worker.ts', here);
  const bootstrap = `import(${JSON.stringify(tsxApi.href)}).then(({ register }) => (register(), import(${JSON.stringify(entry.href)})))`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * Worker threads whose database closed cleanly, kept (unreferenced) for the next database this
 * process opens: starting one and loading PGlite in it costs about a second (measured), and a process
 * that opens many databases one after another (the tests) would pay it each time.
 */
const idleWorkers: { worker: Worker; onExit: () => void }[] = [];

function revive(sent: SentError, context?: object): Error {
  const error = sent.database
    ? new messages.DatabaseError(sent.message, sent.fields.length as number, sent.fields.name as messages.MessageName)
    : new Error(sent.message);
  return Object.assign(error, sent.fields, context);
}

// The same parse PGlite applies (parser(text, typeId), never to NULL), on this side of the thread
// (PGlite's ParserOptions type leaves out the type id it passes).
function parseResults<T>(results: Results<T>, options: QueryOptions | undefined): Results<T> {
  const parsers = options?.parsers;
  if (!parsers) return results;
  const rows = results.rows as Record<string | number, unknown>[];
  const seen = new Set<string>();
  // In object mode a repeated column name keeps its last value, so only the last one is parsed.
  for (let index = results.fields.length - 1; index >= 0; index--) {
    const { name, dataTypeID } = results.fields[index]!;
    const key = options.rowMode === 'array' ? index : name;
    if (options.rowMode !== 'array' && (seen.has(name) || !seen.add(name))) continue;
    const parse = parsers[dataTypeID];
    if (!parse) continue;
    for (const row of rows) if (row[key] !== null) row[key] = (parse as (text: string, type: number) => unknown)(row[key] as string, dataTypeID);
  }
  return results;
}

const sent = (options: QueryOptions | undefined): QueryCallOptions | undefined =>
  options && { rowMode: options.rowMode, paramTypes: options.paramTypes, unparsedTypes: Object.keys(options.parsers ?? {}).map(Number) };

export class PGliteThread {
  #worker: Worker;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  #stopped: Error | undefined;
  readonly #onMessage = (reply: Reply) => this.#settle(reply);
  readonly #onError = (error: Error) => this.#stop(error);
  readonly #onExit = (code: number) => this.#stop(new Error(`the embedded database's worker thread exited (code ${code})`));

  private constructor() {
    const idle = idleWorkers.pop();
    idle?.worker.off('exit', idle.onExit);
    this.#worker = idle?.worker ?? startWorker();
    // Like PGlite on the main thread, an idle database does not keep the process alive.
    this.#worker.unref();
    this.#worker.on('message', this.#onMessage).on('error', this.#onError).on('exit', this.#onExit);
  }

  /** Opens (and on first use creates) the database at dataDir (`memory://` for one in memory) on a worker thread of its own. */
  static async create(dataDir: string, options?: PGliteThreadOptions): Promise<PGliteThread> {
    const thread = new PGliteThread();
    try {
      await thread.#call('open', [dataDir, options]);
    } catch (error) {
      await thread.#worker.terminate();
      throw error;
    }
    return thread;
  }

  get closed() {
    return this.#closed;
  }

  /** The Prisma driver adapter factory over this database (typed for PGlite; it calls only what this class offers). */
  adapterFactory() {
    return new PrismaPGlite(this as unknown as PGlite);
  }

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results<T>> {
    const context = { query: sql, params, queryOptions: options };
    return parseResults((await this.#call('query', [sql, params, sent(options)], tx, context)) as Results<T>, options);
  }

  async exec(sql: string, options?: QueryOptions, tx?: number): Promise<Results[]> {
    const context = { query: sql, queryOptions: options };
    const results = (await this.#call('exec', [sql, sent(options)], tx, context)) as Results[];
    return results.map((result) => parseResults(result, options));
  }

  /** Runs callback in a transaction: committed when it resolves, rolled back when it throws; one at a time, as in PGlite. */
  async transaction<T>(callback: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const id = this.#nextId++;
    await this.#call('begin', [id]);
    let closed = false;
    const tx: ThreadTransaction = {
      query: (sql, params, options) => this.query(sql, params, options, id),
      exec: (sql, options) => this.exec(sql, options, id),
      rollback: async () => {
        await this.#call('rollback', [], id);
        closed = true;
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      await this.#call('end', [id, false]);
      throw error;
    }
    await this.#call('end', [id, true]);
    return result;
  }

  async refreshArrayTypes(): Promise<void> {
    await this.#call('refreshArrayTypes', []);
  }

  async dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<File | Blob> {
    return (await this.#call('dumpDataDir', [compression])) as File | Blob;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#call('close', []);
    } catch (error) {
      await this.#worker.terminate();
      throw error;
    }
    const worker = this.#worker.off('message', this.#onMessage).off('error', this.#onError).off('exit', this.#onExit);
    const idle = {
      worker,
      onExit: () => {
        const at = idleWorkers.indexOf(idle);
        if (at >= 0) idleWorkers.splice(at, 1);
      },
    };
    worker.once('exit', idle.onExit);
    idleWorkers.push(idle);
  }

  #call(method: Method, args: unknown[], tx?: number, context?: object): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, context });
      this.#worker.postMessage({ id, method, args, tx } satisfies Call);
    });
  }

  #settle({ id, result, error }: Reply) {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (error) pending.reject(revive(error, pending.context));
    else pending.resolve(result);
  }

  #stop(error: Error) {
    this.#stopped ??= error;
    for (const pending of this.#pending.values()) pending.reject(this.#stopped);
    this.#pending.clear();
  }
}
