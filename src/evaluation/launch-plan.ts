// The launch plan: a site's progress through the nine key activities for launching social
// prescribing (launch-activities.ts), beside the readiness checklist. The site's staff read it and
// its site admins keep it; the Alliance follows every site's by status only (launch_progress() in
// SQL: no row, lead, date or note of the plan reaches it).
import { z } from 'zod';
import { LaunchActivityStatus, type LaunchActivityKind } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import DataLoader from 'dataloader';
import { inKeyOrder, perRequest, type GraphQLContext } from '../graphql/context.js';
import { describedEnum } from '../graphql/described-enum.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { idOf } from '../graphql/ids.js';
import { inputRules, notFuture } from '../graphql/validation.js';
import { optionalText, requiredText } from '../shared/fields.js';
import { frenchLabels } from '../shared/labels-fr.js';
import { requestLocale } from '../shared/locale.js';
import { changeRules, checkSaved, checkVersion, nextVersion, versionedChangeFields } from '../shared/versions.js';
import { TenantNode } from '../tenants/tenant.js';
import { launchActivities, launchActivitiesFr, type LaunchActivityText } from './launch-activities.js';

export const LaunchActivityKindEnum = describedEnum<LaunchActivityKind>(
  'LaunchActivityKind',
  'One of the nine key activities for launching social prescribing, in the progress report’s order.',
  Object.fromEntries(Object.entries(launchActivities).map(([kind, text]) => [kind, `${text.title}.`])) as Record<LaunchActivityKind, string>,
);

export const LaunchActivityStatusEnum = describedEnum<LaunchActivityStatus>('LaunchActivityStatus', 'Where a site stands with a launch activity.', {
  NOT_STARTED: 'Not started yet.',
  IN_PROGRESS: 'Under way.',
  DONE: 'Done.',
  ON_HOLD: 'Paused, for now.',
});

/** The report's text of an activity, in English or French (shared/locale.ts). */
async function textOf(ctx: GraphQLContext, activity: LaunchActivityKind, text: keyof LaunchActivityText): Promise<string> {
  if ((await requestLocale(ctx)) === 'en') return launchActivities[activity][text];
  return text === 'title' ? frenchLabels.LaunchActivityKind![activity]! : launchActivitiesFr[activity][text];
}

builder.prismaNode('LaunchActivity', {
  authz: 'readLaunchPlan',
  nullable: true,
  description: 'One key activity of a site’s launch plan: who leads it, where it stands, by when.',
  id: { field: 'id' },
  fields: (t) => ({
    site: t.relation('tenant', { description: 'The site whose plan it is.' }),
    activity: t.expose('activity', { type: LaunchActivityKindEnum, description: 'Which of the nine key activities.' }),
    title: t.string({
      description: 'The activity, as worded in the progress report (in the request’s language).',
      resolve: (a, _args, ctx) => textOf(ctx, a.activity, 'title'),
    }),
    details: t.string({
      description: 'What the report says it involves (in the request’s language).',
      resolve: (a, _args, ctx) => textOf(ctx, a.activity, 'details'),
    }),
    suggestedLead: t.string({
      description: 'The lead the report suggests (in the request’s language).',
      resolve: (a, _args, ctx) => textOf(ctx, a.activity, 'suggestedLead'),
    }),
    lead: t.exposeString('lead', { description: 'Who leads it at the site (a role or a team, in words).' }),
    status: t.expose('status', { type: LaunchActivityStatusEnum, description: 'Where it stands.' }),
    targetDate: t.expose('targetDate', { type: 'Date', nullable: true, description: 'When the site means to have it done.' }),
    doneOn: t.expose('doneOn', { type: 'Date', nullable: true, description: 'When it was done (DONE only).' }),
    notes: t.exposeString('notes', { nullable: true, description: 'Free-text notes: who is involved, what is left, what was learned.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; send it back to update.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.queryField('launchPlan', (t) =>
  t.prismaField({
    authz: 'readLaunchPlan',
    type: ['LaunchActivity'],
    description: 'Your site’s launch plan: the nine key activities of the progress report, in its order.',
    resolve: (query, _root, _args, ctx) => ctx.db.launchActivity.findMany({ ...query, orderBy: { activity: 'asc' } }),
  }),
);

type ActivityProgress = { activity: LaunchActivityKind; status: LaunchActivityStatus };
type SiteProgress = { siteId: string; activities: ActivityProgress[] };

const tenantById = perRequest(
  (ctx) =>
    new DataLoader(async (ids: readonly string[]) => inKeyOrder(ids, await ctx.db.tenant.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id)),
);

const LaunchActivityProgressRef = builder.objectRef<ActivityProgress>('LaunchActivityProgress').implement({
  authz: 'reached',
  description: 'Where a site stands with one key activity: its status, nothing else.',
  fields: (t) => ({
    activity: t.expose('activity', { type: LaunchActivityKindEnum, description: 'Which of the nine key activities.' }),
    title: t.string({
      description: 'The activity, as worded in the progress report (in the request’s language).',
      resolve: (a, _args, ctx) => textOf(ctx, a.activity, 'title'),
    }),
    status: t.expose('status', { type: LaunchActivityStatusEnum, description: 'Where it stands.' }),
  }),
});

const SiteLaunchProgressRef = builder.objectRef<SiteProgress>('SiteLaunchProgress').implement({
  authz: 'reached',
  description: 'One site’s progress through the nine key activities for launching social prescribing.',
  fields: (t) => ({
    site: t.field({ type: TenantNode, description: 'The site.', resolve: async (s, _args, ctx) => (await tenantById(ctx).load(s.siteId))! }),
    done: t.int({ description: 'How many of the nine are done.', resolve: (s) => s.activities.filter((a) => a.status === 'DONE').length }),
    activities: t.expose('activities', { type: [LaunchActivityProgressRef], description: 'The nine activities, in the report’s order.' }),
  }),
});

builder.queryField('launchProgress', (t) =>
  t.field({
    authz: 'readLaunchProgress',
    type: [SiteLaunchProgressRef],
    description: 'Launch plans by status only: every site’s, or the named ones (Alliance staff); your own site’s (site staff).',
    args: { sites: t.arg.stringList({ required: false, description: 'Only these sites (slugs); Alliance staff only, ignored for site staff.' }) },
    resolve: async (_root, args, ctx) => {
      const rows = await ctx.db.$queryRaw<{ tenant: string; activity: LaunchActivityKind; status: LaunchActivityStatus }[]>`
        SELECT tenant, activity::text AS activity, status::text AS status FROM launch_progress(${args.sites ?? null}::text[])`;
      const bySite = new Map<string, ActivityProgress[]>();
      for (const row of rows) {
        const activities = bySite.get(row.tenant) ?? [];
        activities.push({ activity: row.activity, status: row.status });
        bySite.set(row.tenant, activities);
      }
      return [...bySite].map(([siteId, activities]) => ({ siteId, activities }));
    },
  }),
);

const launchActivityFields = {
  lead: requiredText(200),
  status: z.enum(LaunchActivityStatus),
  targetDate: z.date().nullish(),
  doneOn: notFuture.nullish(),
  notes: optionalText(4000),
};

const UpdateLaunchActivityInput = builder
  .inputType('UpdateLaunchActivityInput', {
    description: 'Changes to one activity of your site’s launch plan; fields left out stay as they are, null clears an optional one.',
    fields: (t) => ({
      ...versionedChangeFields(t, 'launch activity'),
      lead: t.string({ description: 'Who leads it at the site (a role or a team, in words).' }),
      status: t.field({ type: LaunchActivityStatusEnum, description: 'Where it stands. DONE without doneOn records today.' }),
      targetDate: t.field({ type: 'Date', description: 'When the site means to have it done.' }),
      doneOn: t.field({ type: 'Date', description: 'When it was done: only for a DONE activity, not in the future.' }),
      notes: t.string({ description: 'Free-text notes.' }),
    }),
  })
  .validate(inputRules(changeRules(launchActivityFields)));

builder.mutationField('updateLaunchActivity', (t) =>
  t.prismaField({
    authz: 'keepLaunchPlan',
    type: 'LaunchActivity',
    description: 'Changes one activity of your site’s launch plan (site admins).',
    args: { input: t.arg({ type: UpdateLaunchActivityInput, required: true, description: 'What changes.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id, expectedVersion, ...changes } = args.input;
      // Row-level security shows staff their own site's plan only: another site's id is not found.
      const current = await ctx.db.launchActivity.findUnique({ where: { id: idOf(id, 'LaunchActivity', 'input.id') } });
      if (!current) throw notFound('Launch activity');
      checkVersion('launch activity', current, expectedVersion);
      const status = changes.status ?? current.status;
      let doneOn = changes.doneOn === undefined ? current.doneOn : changes.doneOn;
      if (status !== 'DONE') {
        if (changes.doneOn) throw badUserInput([{ field: 'input.doneOn', message: 'is only for a DONE activity' }]);
        doneOn = null;
      } else if (!doneOn) {
        doneOn = new Date(new Date().toISOString().slice(0, 10));
      }
      checkSaved(
        'launch activity',
        await ctx.db.launchActivity.updateMany({
          where: { id: current.id, version: expectedVersion },
          data: nextVersion({ ...changes, lead: changes.lead ?? undefined, status, doneOn }),
        }),
      );
      return ctx.db.launchActivity.findUniqueOrThrow({ ...query, where: { id: current.id } });
    },
  }),
);
