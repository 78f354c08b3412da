// A few clients added to one site through the owner connection, so that aggregates of June 2019
// hold known small cells: three Tigrinya-speaking clients ('ti') and one Somali-speaking ('so'),
// with outcomes and visits; plus rows that must not count (a withdrawn consent, an entered-in-error
// prescription).
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/generated/prisma/client.js';

export const smallCellSite = 'west-elgin';
export const june2019 = { from: '2019-06-01', to: '2019-06-30' };

const at = (day: number, hour = 15) => new Date(Date.UTC(2019, 5, day, hour));

export async function addSmallCells(owner: PrismaClient) {
  const tenantId = smallCellSite;
  const clients = [
    { language: 'ti', consents: ['GRANTED'], prescriptions: 2 },
    { language: 'ti', consents: ['GRANTED'], prescriptions: 1 },
    { language: 'ti', consents: ['GRANTED'], prescriptions: 2 },
    // Withdrew: not counted.
    { language: 'ti', consents: ['GRANTED', 'WITHDRAWN'], prescriptions: 1 },
    // Withdrew, then consented again: counted.
    { language: 'so', consents: ['WITHDRAWN', 'GRANTED'], prescriptions: 1 },
  ] as const;
  for (const [index, spec] of clients.entries()) {
    const clientId = randomUUID();
    await owner.client.create({
      data: {
        id: clientId,
        tenantId,
        chartNumber: `SMALL-${index}`,
        givenName: `Small${index}`,
        familyName: 'Cell',
        preferredLanguage: spec.language,
        ageBand: 'UNDER_18',
        genderIdentity: 'TWO_SPIRIT',
        newcomer: 'YES',
      },
    });
    await owner.clientConsent.createMany({
      data: spec.consents.map((status, i) => ({ tenantId, clientId, kind: 'EVALUATION_USE' as const, status, recordedAt: at(1 + i, 9) })),
    });
    for (let p = 0; p < spec.prescriptions; p++) {
      const prescriptionId = randomUUID();
      await owner.socialPrescription.create({
        data: {
          id: prescriptionId,
          tenantId,
          clientId,
          needs: ['DIGITAL_LITERACY', 'NEWCOMER_SETTLEMENT'],
          supportLevel: 'HOLISTIC',
          status: 'COMPLETED',
          outcome: 'GOT_HELP',
          referredAt: at(10 + index + p),
          closedAt: at(20 + index),
        },
      });
      if (p > 0) continue;
      await owner.outcomeAssessment.createMany({
        data: [
          {
            tenantId,
            clientId,
            prescriptionId,
            instrument: 'UCLA_LONELINESS_3',
            timePoint: 'BASELINE',
            items: [3, 3, 2],
            score: 8,
            assessedAt: at(12 + index),
          },
          { tenantId, clientId, prescriptionId, instrument: 'UCLA_LONELINESS_3', timePoint: 'MONTH_3', items: [2, 1, 2], score: 5, assessedAt: at(25 + index) },
        ],
      });
      await owner.utilizationRecord.createMany({
        data: [
          { tenantId, clientId, prescriptionId, period: 'BEFORE', months: 6, primaryCareVisits: 9, emergencyVisits: 2 },
          { tenantId, clientId, prescriptionId, period: 'AFTER', months: 6, primaryCareVisits: 4, emergencyVisits: 1 },
        ],
      });
    }
    if (index === 0) {
      await owner.socialPrescription.create({
        data: { tenantId, clientId, needs: ['FOOD'], supportLevel: 'LIGHT', status: 'ENTERED_IN_ERROR', referredAt: at(11) },
      });
    }
  }
}
