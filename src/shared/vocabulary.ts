// The pilot's words that several areas share: the needs a prescription, a program or an asset
// addresses, and what taking part costs. Inputs validate them as the same enums.
import { z } from 'zod';
import { CostLevel, Need } from '../generated/prisma/enums.js';
import { describedEnum } from '../graphql/described-enum.js';

export const NeedEnum = describedEnum<Need>('Need', 'A non-medical need a social prescription addresses.', {
  SOCIAL_ISOLATION: 'Social isolation and loneliness.',
  MENTAL_HEALTH: 'Mental health and wellbeing.',
  PHYSICAL_ACTIVITY: 'Physical activity.',
  LEARNING: 'Learning and skills.',
  ARTS_AND_CULTURE: 'Arts and culture.',
  NATURE: 'Time in nature and greenspace.',
  FOOD: 'Food security.',
  HOUSING: 'Housing and shelter.',
  INCOME: 'Income supports.',
  BEREAVEMENT: 'Grief and bereavement.',
  CAREGIVING: 'Support for caregivers.',
  NEWCOMER_SETTLEMENT: 'Newcomer settlement.',
  EMPLOYMENT: 'Employment and volunteering.',
  TRANSPORTATION: 'Transportation.',
  DIGITAL_LITERACY: 'Digital literacy.',
  ADDICTION_RECOVERY: 'Recovery from addiction.',
});

export const CostLevelEnum = describedEnum<CostLevel>('CostLevel', 'What taking part costs the client.', {
  FREE: 'Free.',
  LOW_COST: 'Low cost.',
  SLIDING_SCALE: 'Sliding scale by income.',
  PAID: 'Paid.',
});

export const need = z.enum(Need);
/** The needs of an entry: each at most once, all of them at most. */
export const needList = z.array(need).max(Object.keys(Need).length);
export const costLevel = z.enum(CostLevel);
/** The needs of a referral: at least one. */
export const referredNeeds = needList.min(1, 'name at least one need');
