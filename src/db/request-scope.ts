// One interactive transaction per GraphQL request. Every resolver reads and writes through it,
// so the request's role and principal settings (set with SET LOCAL / set_config(..., true))
// hold for all of its statements and vanish with it.
import type { PrismaClient } from '../generated/prisma/client.js';

export type RequestDb = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0] & Omit<PrismaClient, '$transaction'>;
type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

class Rollback extends Error {}

export type RequestScope = {
  db: RequestDb;
  /** Ends the transaction: commit or roll back. Rejects when the commit itself fails. */
  finish(commit: boolean): Promise<void>;
};

export type TransactionLimits = { maxWaitMs: number; timeoutMs: number };

export function openRequestScope(prisma: PrismaClient, setup: (tx: Tx) => Promise<void>, limits: TransactionLimits): Promise<RequestScope> {
  return new Promise((resolveScope, rejectScope) => {
    let decide!: (commit: boolean) => void;
    const decision = new Promise<boolean>((resolve) => (decide = resolve));
    let opened = false;
    const transaction = prisma
      .$transaction(
        async (tx) => {
          await setup(tx);
          opened = true;
          resolveScope({
            db: tx as RequestDb,
            finish: async (commit) => {
              decide(commit);
              await transaction;
            },
          });
          if (!(await decision)) throw new Rollback();
        },
        { maxWait: limits.maxWaitMs, timeout: limits.timeoutMs },
      )
      .catch((error: unknown) => {
        if (error instanceof Rollback) return;
        if (!opened) rejectScope(error);
        else throw error;
      });
    // A failure before the scope opened was handed to rejectScope; nothing else awaits it.
    transaction.catch(() => {});
  });
}
