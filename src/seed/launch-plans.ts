// Demo launch plans: the pilot's sites launched in the autumn of 2018, so most of the nine key
// activities are done, in the report's order, a few weeks apart; inviting Health Champions depends
// on a site's capacity, and some sites are still at it or have paused it.
import type { Prisma } from '../generated/prisma/client.js';
import type { LaunchActivityStatus } from '../generated/prisma/enums.js';
import { launchActivities, launchActivityKinds } from '../evaluation/launch-activities.js';
import { idFor, type SiteContext } from './context.js';
import { addDays, day, officeHours } from './random.js';

const notes: Partial<Record<(typeof launchActivityKinds)[number], string>> = {
  FORM_STAFF_CIRCLE: 'Circle meets every second week: implementation lead, a nurse practitioner, a health promoter, the volunteer coordinator and reception.',
  DATA_COLLECTION_PATHWAY: 'Referral form and outcome surveys set up in the EMR; the data coordinator checks completeness monthly.',
  ENGAGE_PRIMARY_CARE: 'Presented at two team meetings; frequent-visit list from the last 12 months shared with each provider.',
  ASSET_MAPPING_AND_PARTNERS: 'Rapid asset map done with the library and the recreation department; partner table invited.',
};

export function launchPlanRows(ctx: SiteContext): Prisma.LaunchActivityCreateManyInput[] {
  const rng = ctx.rng.fork('launch-plan');
  const start = addDays(day('2018-08-06'), ctx.index % 4);
  // Health Champions: most sites invited them; a few were still building capacity or paused.
  const champions: LaunchActivityStatus = (['DONE', 'DONE', 'IN_PROGRESS', 'DONE', 'ON_HOLD'] as const)[ctx.index % 5]!;
  return launchActivityKinds.map((activity, i) => {
    const last = i === launchActivityKinds.length - 1;
    const targetDate = addDays(start, 14 * (i + 1) + (last ? 120 : 0));
    const status: LaunchActivityStatus = last ? champions : 'DONE';
    const doneOn = status === 'DONE' ? addDays(targetDate, rng.int(-5, 12)) : null;
    return {
      id: idFor(ctx.seed, 'launch-activity', ctx.tenant.id, activity),
      tenantId: ctx.tenant.id,
      activity,
      lead: launchActivities[activity].suggestedLead,
      status,
      targetDate,
      doneOn,
      notes: last && status === 'ON_HOLD' ? 'Paused until a volunteer coordinator is back in post.' : (notes[activity] ?? null),
      updatedAt: officeHours(rng, doneOn ?? day('2019-06-17')),
    };
  });
}
