// A link worker's caseload: how many referrals they follow, by status. Counted in one grouped
// statement for every staff member a request asks about, under row-level security like any read
// of prescriptions.
import DataLoader from 'dataloader';
import { ReferralStatus } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { perRequest } from '../graphql/context.js';
import { ReferralStatusEnum } from '../prescriptions/enums.js';
import { StaffMemberNode } from './staff-member.js';

type CaseloadCount = { status: ReferralStatus; count: number };

const CaseloadCountRef = builder.objectRef<CaseloadCount>('CaseloadCount').implement({
  authz: 'reached',
  description: 'How many referrals a link worker follows in one status.',
  fields: (t) => ({
    status: t.field({ type: ReferralStatusEnum, description: 'The status.', resolve: (c) => c.status }),
    count: t.exposeInt('count', { description: 'Referrals in it assigned to the link worker.' }),
  }),
});

const statuses = Object.values(ReferralStatus);

const caseloads = perRequest(
  (ctx) =>
    new DataLoader(async (staffIds: readonly string[]) => {
      const rows = await ctx.db.socialPrescription.groupBy({
        by: ['linkWorkerId', 'status'],
        where: { linkWorkerId: { in: [...staffIds] } },
        _count: { _all: true },
      });
      const counts = new Map(rows.map((row) => [`${row.linkWorkerId}/${row.status}`, row._count._all]));
      return staffIds.map((id) => statuses.map((status) => ({ status, count: counts.get(`${id}/${status}`) ?? 0 })));
    }),
);

builder.prismaObjectFields(StaffMemberNode, (t) => ({
  caseload: t.field({
    authz: 'readPrescriptions',
    type: [CaseloadCountRef],
    description: 'Referrals assigned to this staff member as link worker, counted by status (every status, zeros included, in pathway order).',
    select: { id: true },
    resolve: (staff, _args, ctx) => caseloads(ctx).load(staff.id),
  }),
}));
