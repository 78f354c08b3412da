import type {
  ContactResult,
  PrescriptionActionKind,
  PrescriptionEventKind,
  PrescriptionItemStatus,
  ReferralOutcome,
  ReferralSource,
  ReferralStatus,
  SupportLevel,
} from '../generated/prisma/enums.js';
import { describedEnum } from '../graphql/described-enum.js';

export const SupportLevelEnum = describedEnum<SupportLevel>('SupportLevel', 'The pilot’s spectrum of support.', {
  SIGNPOSTING: 'Advertise the resources; trust the client to self-refer.',
  LIGHT: 'A referral for a specific need or goal, usually without follow-up.',
  MEDIUM: 'A referral through a community partner, with light assessment and feedback to the referrer.',
  HOLISTIC: 'Formal referral; the link worker co-designs solutions and supports the client throughout.',
});

export const ReferralStatusEnum = describedEnum<ReferralStatus>(
  'ReferralStatus',
  'Closed-loop status of a referral: the FHIR SDOH Clinical Care referral Task statuses.',
  {
    DRAFT: 'Being prepared by the referring side; not yet sent.',
    REQUESTED: 'Sent to the link worker; awaiting acceptance.',
    ACCEPTED: 'Accepted by the receiving side.',
    REJECTED: 'Declined by the receiving side.',
    IN_PROGRESS: 'The link worker is working with the client.',
    ON_HOLD: 'Paused by the receiving side.',
    COMPLETED: 'Finished; an outcome is recorded.',
    FAILED: 'Ended without success; an outcome is recorded.',
    CANCELLED: 'Withdrawn by the referring side.',
    ENTERED_IN_ERROR: 'Should never have existed; replaces deletion.',
  },
);

export const ReferralOutcomeEnum = describedEnum<ReferralOutcome>('ReferralOutcome', 'How an ended referral turned out.', {
  GOT_HELP: 'The client got the help sought.',
  COULD_NOT_CONTACT: 'The client could not be reached.',
  NOT_ELIGIBLE: 'The client was not eligible.',
  NO_CAPACITY: 'No capacity to serve the client.',
  NO_LONGER_INTERESTED: 'The client was no longer interested.',
  REFERRED_ELSEWHERE: 'The client was referred elsewhere.',
});

export const ReferralSourceEnum = describedEnum<ReferralSource>('ReferralSource', 'Where a referral came from.', {
  SITE: 'A prescriber at the site.',
  PARTNER: 'A partner organization (for example TeamCare).',
});

export const PrescriptionEventKindEnum = describedEnum<PrescriptionEventKind>('PrescriptionEventKind', 'What an entry of a prescription’s history records.', {
  CREATED: 'The prescription was made.',
  STATUS_CHANGED: 'Its status changed.',
  ACTION_RECORDED: 'The link worker recorded a step.',
  LINK_WORKER_ASSIGNED: 'A link worker was assigned.',
  ITEM_ADDED: 'A program or asset was connected.',
  ITEM_STATUS_CHANGED: 'A connection’s status changed.',
  DETAILS_UPDATED: 'Its needs, support level, goals, interests, gifts or notes were edited.',
});

export const PrescriptionActionKindEnum = describedEnum<PrescriptionActionKind>('PrescriptionActionKind', 'A link worker’s step.', {
  CONTACT_ATTEMPT: 'An attempt to reach the client.',
  GOAL_SETTING: 'Goals co-created with the client.',
  ACCOMPANIMENT: 'Accompanying the client to a support.',
  FOLLOW_UP: 'Following up with the client.',
  CLOSE_OUT: 'Closing out the prescription with the client.',
});

export const ContactResultEnum = describedEnum<ContactResult>('ContactResult', 'The result of a contact attempt.', {
  REACHED: 'Spoke with the client.',
  LEFT_MESSAGE: 'Left a message.',
  NO_ANSWER: 'No answer.',
  WRONG_NUMBER: 'The contact details were wrong.',
});

export const PrescriptionItemStatusEnum = describedEnum<PrescriptionItemStatus>(
  'PrescriptionItemStatus',
  'Where a client stands with a program or asset they were connected to.',
  {
    SUGGESTED: 'Suggested to the client.',
    ENROLLED: 'The client enrolled.',
    ATTENDED: 'The client attended.',
    STOPPED: 'The client stopped.',
  },
);
