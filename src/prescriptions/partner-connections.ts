// What the client of a partner's referral was connected to, as the partner that made it may know:
// the programs and assets the client ENROLLED in or ATTENDED, by name, kind and support category.
// The database decides (SQL function partner_referral_connections, the same checks as partnerReferrals);
// GraphQL (PartnerReferral.connectedTo) and FHIR (Task.output) both read it here.
import DataLoader from 'dataloader';
import { builder } from '../graphql/builder.js';
import { perRequest, type GraphQLContext } from '../graphql/context.js';
import { describedEnum } from '../graphql/described-enum.js';
import { clientRecord, phi } from '../privacy/marking.js';
import { NeedEnum } from '../shared/vocabulary.js';
import { PrescriptionItemStatusEnum } from './enums.js';
import type { Need, PrescriptionItemStatus } from '../generated/prisma/enums.js';

export type SupportKind = 'PROGRAM' | 'PARTNER_PROGRAM' | 'HEALTH_CHAMPION_LED' | 'ASSET';

export type ConnectedSupport = {
  prescriptionId: string;
  tenantId: string;
  name: string;
  kind: SupportKind;
  categories: Need[];
  status: PrescriptionItemStatus;
};

const loaders = perRequest(
  (ctx) =>
    new DataLoader(async (ids: readonly string[]) => {
      const rows = await ctx.db.$queryRaw<ConnectedSupport[]>`SELECT * FROM partner_referral_connections(${[...ids]}::text[])`;
      return ids.map((id) => rows.filter((row) => row.prescriptionId === id));
    }),
);

/** What the client of one of the caller's referrals was connected to, oldest first; [] for anything else. */
export function partnerReferralConnections(ctx: GraphQLContext, prescriptionId: string): Promise<ConnectedSupport[]> {
  return loaders(ctx).load(prescriptionId);
}

export const supportKindLabels: Record<SupportKind, string> = {
  PROGRAM: 'A program of the site.',
  PARTNER_PROGRAM: 'A program a partner organization runs.',
  HEALTH_CHAMPION_LED: 'A program a Health Champion leads.',
  ASSET: 'A community asset.',
};

export const SupportKindEnum = describedEnum<SupportKind>('SupportKind', 'What kind of support a client was connected to.', supportKindLabels);

export const ConnectedSupportRef = builder.objectRef<ConnectedSupport>('ConnectedSupport').implement({
  authz: 'readOwnReferrals',
  description: 'A program or community asset the client of your referral enrolled in or attended.',
  extensions: clientRecord<ConnectedSupport>((s) => ({ tenantId: s.tenantId, prescriptionId: s.prescriptionId })),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The program’s or asset’s name.', extensions: phi('REFERRAL') }),
    kind: t.field({
      type: SupportKindEnum,
      description: 'Program, partner program, Health Champion-led program or asset.',
      extensions: phi('REFERRAL'),
      resolve: (s) => s.kind,
    }),
    categories: t.field({
      type: [NeedEnum],
      description: 'Its support categories: the needs the program serves, or the asset’s categories.',
      extensions: phi('REFERRAL'),
      resolve: (s) => s.categories,
    }),
    status: t.field({ type: PrescriptionItemStatusEnum, description: 'ENROLLED or ATTENDED.', extensions: phi('REFERRAL'), resolve: (s) => s.status }),
  }),
});
