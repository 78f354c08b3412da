// The moves the caller may make next on a referral, so a front-end shows only the buttons that
// will work: the same state machine and the same sides that transitionSocialPrescription checks.
import { builder } from '../graphql/builder.js';
import { actions } from '../auth/actions.js';
import { allows } from '../auth/rules.js';
import type { Principal } from '../auth/principal.js';
import type { ReferralStatus } from '../generated/prisma/enums.js';
import { phi } from '../privacy/marking.js';
import { ReferralStatusEnum } from './enums.js';
import { SocialPrescriptionNode } from './social-prescription.js';
import { allowedMoves, staffSides, transitionProblem } from './status-machine.js';

/** The statuses `principal` may move a referral in `status` to, in the state machine's order. */
export function allowedTransitionsFor(principal: Principal | null, status: ReferralStatus): ReferralStatus[] {
  if (principal?.kind !== 'STAFF' || !allows(actions.movePrescriptions, principal)) return [];
  const sides = staffSides(principal.roles);
  return allowedMoves[status].filter((to) => transitionProblem(status, to, sides) === null);
}

builder.prismaObjectFields(SocialPrescriptionNode, (t) => ({
  allowedTransitions: t.field({
    type: [ReferralStatusEnum],
    description:
      'The statuses you may move this referral to next (transitionSocialPrescription), by the pathway and your side: empty when you may make no move.',
    extensions: phi('REFERRAL'),
    select: { status: true },
    resolve: (prescription, _args, ctx) => allowedTransitionsFor(ctx.principal, prescription.status),
  }),
}));
