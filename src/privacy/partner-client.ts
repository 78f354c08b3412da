// What a partner may know of the person behind a referral it made: names, a phone number and
// preferred language, only while the client's consent to share with that partner is in force.
// The database decides (SQL function partner_referral_clients); a withdrawal takes effect at once.
// It applies the lock-box too (a partner may not read the locks): the categories it withheld are
// handed to the request's recorder, which withholds the same fields and audits none of them.
import DataLoader from 'dataloader';
import { builder } from '../graphql/builder.js';
import { inKeyOrder, perRequest, type GraphQLContext } from '../graphql/context.js';
import { clientRecord, phi } from './marking.js';

export type PartnerReferralClient = {
  prescriptionId: string;
  tenantId: string;
  clientId: string;
  givenName: string;
  familyName: string;
  phone: string | null;
  preferredLanguage: string | null;
  /** Lock-boxed categories held back: CONTACT, SOCIODEMOGRAPHICS. */
  withheld: string[];
};

const loaders = perRequest(
  (ctx) =>
    new DataLoader(async (ids: readonly string[]) => {
      const rows = await ctx.db.$queryRaw<PartnerReferralClient[]>`SELECT * FROM partner_referral_clients(${[...ids]}::text[])`;
      for (const row of rows) ctx.privacy.learnWithheld(row.clientId, row.withheld);
      return inKeyOrder(ids, rows, (row) => row.prescriptionId);
    }),
);

/** The consented details of each referral's client, one query per batch of referrals. */
export function partnerReferralClient(ctx: GraphQLContext, prescriptionId: string) {
  return loaders(ctx).load(prescriptionId);
}

export const PartnerReferralClientRef = builder.objectRef<PartnerReferralClient>('PartnerReferralClient').implement({
  authz: 'readOwnReferrals',
  description: 'The person referred, as shared with your organization under the client’s consent.',
  extensions: clientRecord<PartnerReferralClient>((c) => ({ tenantId: c.tenantId, clientId: c.clientId })),
  fields: (t) => ({
    givenName: t.exposeString('givenName', { description: 'Given name.', extensions: phi('IDENTITY') }),
    familyName: t.exposeString('familyName', { description: 'Family name.', extensions: phi('IDENTITY') }),
    phone: t.exposeString('phone', {
      nullable: true,
      description: 'Phone number; null when the client lock-boxed contact details.',
      extensions: phi('CONTACT'),
    }),
    preferredLanguage: t.exposeString('preferredLanguage', {
      nullable: true,
      description: 'Preferred language (ISO 639 code); null when the client lock-boxed sociodemographics.',
      extensions: phi('SOCIODEMOGRAPHICS'),
    }),
  }),
});
