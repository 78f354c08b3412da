import type { AgeBand, Answer, GenderIdentity, IncomeBand } from '../generated/prisma/enums.js';
import { describedEnum } from '../graphql/described-enum.js';

export const AnswerEnum = describedEnum<Answer>('SelfIdentifiedAnswer', 'A self-identified yes or no, where declining is a real answer.', {
  YES: 'Yes.',
  NO: 'No.',
  PREFER_NOT_TO_ANSWER: 'The client preferred not to answer.',
});

export const AgeBandEnum = describedEnum<AgeBand>('AgeBand', 'Age group, for the equity lens.', {
  UNDER_18: 'Under 18.',
  AGE_18_24: '18 to 24.',
  AGE_25_34: '25 to 34.',
  AGE_35_44: '35 to 44.',
  AGE_45_54: '45 to 54.',
  AGE_55_64: '55 to 64.',
  AGE_65_74: '65 to 74.',
  AGE_75_PLUS: '75 and over.',
  PREFER_NOT_TO_ANSWER: 'The client preferred not to answer.',
});

export const GenderIdentityEnum = describedEnum<GenderIdentity>('GenderIdentity', 'Self-identified gender.', {
  WOMAN: 'Woman.',
  MAN: 'Man.',
  NON_BINARY: 'Non-binary.',
  TWO_SPIRIT: 'Two-Spirit.',
  TRANSGENDER_WOMAN: 'Transgender woman.',
  TRANSGENDER_MAN: 'Transgender man.',
  ANOTHER_IDENTITY: 'Another gender identity.',
  PREFER_NOT_TO_ANSWER: 'The client preferred not to answer.',
});

export const IncomeBandEnum = describedEnum<IncomeBand>('IncomeBand', 'Household income before tax, per year.', {
  UNDER_20K: 'Under $20,000.',
  FROM_20K_TO_40K: '$20,000 to $39,999.',
  FROM_40K_TO_60K: '$40,000 to $59,999.',
  FROM_60K_TO_100K: '$60,000 to $99,999.',
  OVER_100K: '$100,000 or more.',
  PREFER_NOT_TO_ANSWER: 'The client preferred not to answer.',
});
