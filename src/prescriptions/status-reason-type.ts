// The referral-status-reason code system (status-reasons.ts) in the GraphQL schema.
import type { StatusReasonCode } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';
import { statusReasonCodes, statusReasonSystem, statusReasons } from './status-reasons.js';

export const StatusReasonCodeEnum = describedEnum<StatusReasonCode>(
  'StatusReasonCode',
  `Why a referral was rejected, cancelled or failed (code system ${statusReasonSystem}).`,
  Object.fromEntries(statusReasonCodes.map((code) => [code, `${statusReasons[code].definition} (${statusReasons[code].fhirCode})`])) as Record<
    StatusReasonCode,
    string
  >,
);

export const StatusReasonRef = builder.objectRef<StatusReasonCode>('StatusReason').implement({
  authz: 'reached',
  description: 'A coded reason for a referral’s status: why it was rejected, cancelled or failed.',
  fields: (t) => ({
    code: t.field({ type: StatusReasonCodeEnum, description: 'The code.', resolve: (code) => code }),
    display: t.string({ description: 'How the code reads.', resolve: (code) => statusReasons[code].display }),
    system: t.string({ description: 'The code system (FHIR Coding.system).', resolve: () => statusReasonSystem }),
    fhirCode: t.string({
      description: 'The code as FHIR carries it (Coding.code), for example not-eligible.',
      resolve: (code) => statusReasons[code].fhirCode,
    }),
  }),
});
