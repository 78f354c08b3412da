// Deletes the demo data set (for `npm run db:seed -- --reset`): every site's clinical and
// community rows, children before parents, and the audit trail with them. Tenants stay, and so
// do the network partner organizations (seeding upserts them); the local partners the demo adds
// go. Only for demo and benchmark databases: it removes real records just the same.
import type { PrismaClient } from '../generated/prisma/client.js';
import { PARTNERS } from './catalogue.js';

export type DeleteSummary = Record<string, number>;

export async function deleteDemoData(prisma: PrismaClient): Promise<DeleteSummary> {
  const localPartnerIds = PARTNERS.filter((p) => p.addedByTenantId).map((p) => p.id);
  return prisma.$transaction(
    async (tx) => {
      const deleted: DeleteSummary = {};
      const steps: [string, () => Promise<{ count: number }>][] = [
        ['auditEvents', () => tx.auditEvent.deleteMany()],
        ['readinessResponses', () => tx.readinessResponse.deleteMany()],
        ['readinessAssessments', () => tx.readinessAssessment.deleteMany()],
        ['utilizationRecords', () => tx.utilizationRecord.deleteMany()],
        ['outcomeAssessments', () => tx.outcomeAssessment.deleteMany()],
        ['prescriptionItems', () => tx.prescriptionItem.deleteMany()],
        ['prescriptionEvents', () => tx.prescriptionEvent.deleteMany()],
        ['socialPrescriptions', () => tx.socialPrescription.deleteMany()],
        ['clientLocks', () => tx.clientLock.deleteMany()],
        ['clientConsents', () => tx.clientConsent.deleteMany()],
        ['programs', () => tx.program.deleteMany()],
        ['healthChampions', () => tx.healthChampion.deleteMany()],
        ['clients', () => tx.client.deleteMany()],
        ['communityAssets', () => tx.communityAsset.deleteMany()],
        ['partnerships', () => tx.partnership.deleteMany()],
        ['staffMembers', () => tx.staffMember.deleteMany()],
        ['partnerOrganizations', () => tx.partnerOrganization.deleteMany({ where: { id: { in: localPartnerIds } } })],
      ];
      for (const [table, run] of steps) deleted[table] = (await run()).count;
      return deleted;
    },
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}
