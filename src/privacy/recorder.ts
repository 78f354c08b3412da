// Per request: which health information was read or written, about whom, and which parts of a
// record this caller may not see (lock-box). Written to the audit trail in the request's own
// transaction just before it commits (server/graphql-plugins.ts), so a rolled-back write leaves
// no audit row and a read whose audit row cannot be written returns no data.
import DataLoader from 'dataloader';
import type { Principal } from '../auth/principal.js';
import type { RequestDb } from '../db/request-scope.js';
import { inKeyOrder, type GraphQLContext } from '../graphql/context.js';
import { findCallerStaffRecord } from '../staff/staff-member.js';
import { lockableCategories, type PhiCategory, type RecordSubject } from './marking.js';

type Action = 'READ' | 'WRITE';
type Entry = { tenantId: string; clientId?: string; prescriptionId?: string; action: Action; categories: Set<PhiCategory> };

export class PrivacyRecorder {
  private readonly entries = new Map<string, Entry>();
  private readonly clientOfKnown = new Map<string, string>();
  private clientOfPrescription?: DataLoader<string, string | null>;
  private locksOfClient?: DataLoader<string, { category: string; allowedStaffIds: string[] }[]>;
  /** For callers who may not read the lock-box itself (partners): what the database said it withheld, per client. */
  private readonly withheldByDatabase = new Map<string, PhiCategory[]>();
  operation: { name: string | null; documentHash: string | null } = { name: null, documentHash: null };

  constructor(
    private readonly principal: Principal | null,
    private readonly requestId: string,
    private readonly correlationId: string | null = null,
  ) {}

  record(action: Action, subject: RecordSubject, category: PhiCategory) {
    // A prescription read with its client: its items and history need not look the client up again.
    if ('clientId' in subject && subject.prescriptionId) this.clientOfKnown.set(subject.prescriptionId, subject.clientId);
    const id = 'clientId' in subject ? `c:${subject.clientId}` : `p:${subject.prescriptionId}`;
    const key = `${action}:${id}`;
    const entry = this.entries.get(key) ?? { ...subject, action, categories: new Set<PhiCategory>() };
    entry.categories.add(category);
    this.entries.set(key, entry);
  }

  /** Notes what a SQL function that applied the lock-box for this caller withheld of a client's record. */
  learnWithheld(clientId: string, categories: readonly string[]) {
    this.withheldByDatabase.set(
      clientId,
      categories.filter((c): c is PhiCategory => lockableCategories.includes(c as PhiCategory)),
    );
  }

  /** The lockable categories of this client's record that this caller may not see. */
  async withheldFrom(ctx: GraphQLContext, subject: RecordSubject): Promise<PhiCategory[]> {
    // Only site staff are ever named on a lock, and only they may read locks. Anyone else is told
    // by the database what it withheld; failing that, everything lockable is withheld.
    if (this.principal?.kind !== 'STAFF') {
      return ('clientId' in subject && this.withheldByDatabase.get(subject.clientId)) || [...lockableCategories];
    }
    const clientId = await this.clientOf(ctx.db, subject);
    if (!clientId) return [];
    const locks = await this.locks(ctx.db).load(clientId);
    if (locks.length === 0) return [];
    const staffId = (await findCallerStaffRecord(ctx))?.id;
    return locks
      .filter((lock) => !staffId || !lock.allowedStaffIds.includes(staffId))
      .map((lock) => lock.category as PhiCategory)
      .filter((category) => lockableCategories.includes(category));
  }

  /** Writes one audit row per client and action, naming every category touched. */
  async flush(db: RequestDb) {
    if (this.entries.size === 0 || !this.principal) return;
    const rows = new Map<string, { tenantId: string; clientId: string; action: Action; categories: Set<PhiCategory> }>();
    const entries = [...this.entries.values()];
    // All at once, so the data loader finds the clients of all prescriptions in one statement.
    const clientIds = await Promise.all(
      entries.map(async (entry) => entry.clientId ?? this.clientOf(db, { tenantId: entry.tenantId, prescriptionId: entry.prescriptionId! })),
    );
    for (const [i, entry] of entries.entries()) {
      const clientId = clientIds[i];
      if (!clientId) continue;
      const key = `${entry.action}:${clientId}`;
      const row = rows.get(key) ?? { tenantId: entry.tenantId, clientId, action: entry.action, categories: new Set<PhiCategory>() };
      for (const category of entry.categories) row.categories.add(category);
      rows.set(key, row);
    }
    const principal = this.principal;
    const list = [...rows.values()];
    // One statement whatever the number of rows: per-row values as parallel arrays, the rest once.
    await db.$executeRaw`
      INSERT INTO "AuditEvent" (id, "tenantId", "clientId", action, categories, "actorSubject", "actorKind",
                                "actorRoles", "partnerId", "operationName", "documentHash", "requestId", "correlationId")
      SELECT gen_random_uuid()::text, row.tenant, row.client, row.action::"AuditAction", string_to_array(row.categories, ','),
             ${principal.subject}, ${principal.kind}::"PrincipalKind", ${principal.kind === 'PARTNER' ? ['PARTNER'] : principal.roles}::text[],
             ${principal.kind === 'PARTNER' ? principal.partnerId : null}, ${this.operation.name}, ${this.operation.documentHash}, ${this.requestId},
             ${this.correlationId}
        FROM unnest(${list.map((r) => r.tenantId)}::text[], ${list.map((r) => r.clientId)}::text[],
                    ${list.map((r) => r.action)}::text[], ${list.map((r) => [...r.categories].sort().join(','))}::text[])
             AS row(tenant, client, action, categories)`;
    this.entries.clear();
  }

  private async clientOf(db: RequestDb, subject: RecordSubject) {
    if ('clientId' in subject) return subject.clientId;
    const known = this.clientOfKnown.get(subject.prescriptionId);
    if (known) return known;
    this.clientOfPrescription ??= new DataLoader(async (ids) => {
      const found = await db.socialPrescription.findMany({ where: { id: { in: [...ids] } }, select: { id: true, clientId: true } });
      return inKeyOrder(ids, found, (p) => p.id).map((p) => p?.clientId ?? null);
    });
    return this.clientOfPrescription.load(subject.prescriptionId);
  }

  private locks(db: RequestDb) {
    this.locksOfClient ??= new DataLoader(async (clientIds) => {
      const locks = await db.clientLock.findMany({
        where: { clientId: { in: [...clientIds] }, releasedAt: null },
        select: { clientId: true, category: true, allowedStaffIds: true },
      });
      return clientIds.map((id) => locks.filter((lock) => lock.clientId === id));
    });
    return this.locksOfClient;
  }
}
