// Reports every statement the database receives through a driver adapter, transactions included:
// a measurement hook (tests/n-plus-one.test.ts counts the statements of one request). Only the
// Prisma client's adapter is wrapped, and only when an observer is given.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlQueryable, Transaction } from '@prisma/driver-adapter-utils';

export type QueryObserver = (sql: string) => void;

function observeQueryable<T extends SqlQueryable>(queryable: T, onQuery: QueryObserver): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query: SqlQuery) => (onQuery(query.sql), queryRaw(query));
  queryable.executeRaw = (query: SqlQuery) => (onQuery(query.sql), executeRaw(query));
  return queryable;
}

// The adapter opens a transaction without going through executeRaw (@prisma/adapter-pg sends
// BEGIN itself, PGlite inside its transaction()); a "phantom" transaction (PGlite) also ends
// inside the driver, while otherwise Prisma sends COMMIT or ROLLBACK through executeRaw.
function observeTransaction(transaction: Transaction, onQuery: QueryObserver): Transaction {
  observeQueryable(transaction, onQuery);
  if (transaction.options.usePhantomQuery) {
    const commit = transaction.commit.bind(transaction);
    const rollback = transaction.rollback.bind(transaction);
    transaction.commit = () => (onQuery('COMMIT'), commit());
    transaction.rollback = () => (onQuery('ROLLBACK'), rollback());
  }
  return transaction;
}

function observeAdapter(adapter: SqlDriverAdapter, onQuery: QueryObserver): SqlDriverAdapter {
  observeQueryable(adapter, onQuery);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    onQuery('BEGIN');
    return observeTransaction(await startTransaction(isolationLevel), onQuery);
  };
  return adapter;
}

export function observeQueries(factory: SqlDriverAdapterFactory, onQuery: QueryObserver): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => observeAdapter(await factory.connect(), onQuery),
  };
}
