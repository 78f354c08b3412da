// The launch plan over the real HTTP server: a site's staff read its nine key activities, its site
// admins keep them (versioned), another site's ids are refused, and the Alliance sees every site's
// progress by status only — no lead, date or note.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from './support/graphql.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { network, partner, staff } from './support/tokens.js';
import { launchActivityKinds } from '../src/evaluation/launch-activities.js';

type Headers = Record<string, string>;

const launchPlan = gql(`query {
  launchPlan { id site { slug } activity title details suggestedLead lead status targetDate doneOn notes version }
}`);
const launchProgress = gql(`query($sites: [String!]) {
  launchProgress(sites: $sites) { site { slug } done activities { activity title status } }
}`);
const updateActivity = gql(`mutation($input: UpdateLaunchActivityInput!) {
  updateLaunchActivity(input: $input) { id activity lead status targetDate doneOn notes version }
}`);
const activityNode = gql(`query($id: ID!) { node(id: $id) { __typename ... on LaunchActivity { id notes } } }`);

describe('launch plan', () => {
  let server: TestServer;
  let guelphStaff: Headers;
  let guelphAdmin: Headers;
  let norwestAdmin: Headers;
  let analyst: Headers;
  let guelphActivityId: string;
  let norwestActivityId: string;
  let norwestNotedId: string;
  const secretNote = 'Norwest only: the data coordinator leaves in June.';

  beforeAll(async () => {
    server = await startTestServer();
    guelphStaff = await staff('guelph', 'LINK_WORKER');
    guelphAdmin = await staff('guelph', 'SITE_ADMIN');
    norwestAdmin = await staff('norwest', 'SITE_ADMIN');
    analyst = await network('ALLIANCE_ANALYST');
    const owner = server.db.prisma;
    const guelph = await owner.launchActivity.findFirstOrThrow({ where: { tenantId: 'guelph', activity: 'ENGAGE_PRIMARY_CARE' } });
    guelphActivityId = encodeGlobalID('LaunchActivity', guelph.id);
    const norwest = await owner.launchActivity.findFirstOrThrow({ where: { tenantId: 'norwest', activity: 'ENGAGE_PRIMARY_CARE' } });
    norwestActivityId = encodeGlobalID('LaunchActivity', norwest.id);
    await owner.launchActivity.updateMany({ where: { tenantId: 'norwest', activity: 'DATA_COLLECTION_PATHWAY' }, data: { notes: secretNote } });
    norwestNotedId = encodeGlobalID(
      'LaunchActivity',
      (await owner.launchActivity.findFirstOrThrow({ where: { tenantId: 'norwest', activity: 'DATA_COLLECTION_PATHWAY' } })).id,
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('every site has the nine activities, seeded as a launched pilot site', async () => {
    const rows = await server.db.prisma.launchActivity.groupBy({ by: ['tenantId'], _count: true });
    expect(rows).toHaveLength(11);
    expect(rows.every((r) => r._count === 9)).toBe(true);
  });

  it('a site’s staff read their own plan, in the report’s order, with leads, dates and notes', async () => {
    const result = await graphql(server, launchPlan, {}, guelphStaff);
    expect(result.errors).toBeUndefined();
    const plan = result.data!.launchPlan;
    expect(plan.map((a) => a.activity)).toEqual(launchActivityKinds);
    expect(plan.every((a) => a.site.slug === 'guelph')).toBe(true);
    expect(plan[0]).toMatchObject({
      activity: 'FORM_STAFF_CIRCLE',
      title: 'Form core staff circle to support implementation',
      suggestedLead: 'Executive leaders',
      lead: 'Executive leaders',
      status: 'DONE',
    });
    expect(plan[0]!.doneOn).toMatch(/^2018-/);
    expect(plan.find((a) => a.activity === 'ASSET_MAPPING_AND_PARTNERS')!.notes).toMatch(/asset map/);
  });

  it('a site admin updates an activity of the own plan; a stale version is a CONFLICT', async () => {
    const before = await server.db.prisma.launchActivity.findFirstOrThrow({ where: { tenantId: 'guelph', activity: 'ENGAGE_PRIMARY_CARE' } });
    const changed = await graphql(
      server,
      updateActivity,
      {
        input: {
          id: guelphActivityId,
          expectedVersion: before.version,
          status: 'IN_PROGRESS',
          lead: 'Clinical lead and the link worker',
          targetDate: '2030-03-31',
          notes: 'Second round with the new nurse practitioners.',
        },
      },
      guelphAdmin,
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateLaunchActivity).toMatchObject({
      status: 'IN_PROGRESS',
      lead: 'Clinical lead and the link worker',
      targetDate: '2030-03-31',
      doneOn: null, // no longer done
      notes: 'Second round with the new nurse practitioners.',
      version: before.version + 1,
    });

    const stale = await graphql(server, updateActivity, { input: { id: guelphActivityId, expectedVersion: before.version, status: 'DONE' } }, guelphAdmin);
    expect(codes(stale)).toEqual(['CONFLICT']);

    const done = await graphql(server, updateActivity, { input: { id: guelphActivityId, expectedVersion: before.version + 1, status: 'DONE' } }, guelphAdmin);
    expect(done.errors).toBeUndefined();
    expect(done.data!.updateLaunchActivity.doneOn).toBe(new Date().toISOString().slice(0, 10));
  });

  it('refuses bad changes with BAD_USER_INPUT naming the field', async () => {
    const row = await server.db.prisma.launchActivity.findFirstOrThrow({ where: { tenantId: 'guelph', activity: 'INVITE_HEALTH_CHAMPIONS' } });
    const id = encodeGlobalID('LaunchActivity', row.id);
    const version = row.version;
    const cases = [
      { input: { id, expectedVersion: version, lead: '   ' }, field: 'input.lead' },
      { input: { id, expectedVersion: version, status: 'IN_PROGRESS' as const, doneOn: '2019-01-01' }, field: 'input.doneOn' },
      { input: { id, expectedVersion: version, status: 'DONE' as const, doneOn: '2099-01-01' }, field: 'input.doneOn' },
      { input: { id, expectedVersion: version, notes: 'x'.repeat(4001) }, field: 'input.notes' },
    ];
    for (const { input, field } of cases) {
      const result = await graphql(server, updateActivity, { input }, guelphAdmin);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(result.errors![0]!.extensions)).toContain(field);
    }
  });

  it('another site’s activity is NOT_FOUND to a site admin, who can update the own (positive control)', async () => {
    const { version } = await server.db.prisma.launchActivity.findFirstOrThrow({ where: { tenantId: 'norwest', activity: 'ENGAGE_PRIMARY_CARE' } });
    const foreign = await graphql(server, updateActivity, { input: { id: norwestActivityId, expectedVersion: version, status: 'ON_HOLD' } }, guelphAdmin);
    expect(codes(foreign)).toEqual(['NOT_FOUND']);
    const row = await server.db.prisma.launchActivity.findFirstOrThrow({ where: { tenantId: 'norwest', activity: 'ENGAGE_PRIMARY_CARE' } });
    expect(row).toMatchObject({ status: 'DONE', version });
    const own = await graphql(server, updateActivity, { input: { id: norwestActivityId, expectedVersion: version, notes: 'Kept by Norwest.' } }, norwestAdmin);
    expect(own.errors).toBeUndefined();
    expect(own.data!.updateLaunchActivity).toMatchObject({ notes: 'Kept by Norwest.', status: 'DONE', version: version + 1 });

    const lookup = await graphql(server, activityNode, { id: norwestActivityId }, guelphStaff);
    expect(lookup.data!.node).toBeNull();
    const ownLookup = await graphql(server, activityNode, { id: guelphActivityId }, guelphStaff);
    expect(ownLookup.data!.node).toMatchObject({ __typename: 'LaunchActivity', id: guelphActivityId });
  });

  it('only site admins change the plan', async () => {
    const row = await server.db.prisma.launchActivity.findFirstOrThrow({ where: { tenantId: 'guelph', activity: 'PLAN_IMPLEMENTATION' } });
    const id = encodeGlobalID('LaunchActivity', row.id);
    const version = row.version;
    for (const headers of [guelphStaff, analyst, await partner('teamcare', 'referrals:create referrals:read programs:read')]) {
      const result = await graphql(server, updateActivity, { input: { id, expectedVersion: version, notes: 'not mine' } }, headers);
      expect(codes(result)).toEqual(['FORBIDDEN']);
    }
  });

  it('the Alliance sees every site’s progress by status only, never the plan itself', async () => {
    const progress = await graphql(server, launchProgress, {}, analyst);
    expect(progress.errors).toBeUndefined();
    const sites = progress.data!.launchProgress;
    expect(sites).toHaveLength(11);
    const norwest = sites.find((s) => s.site.slug === 'norwest')!;
    expect(norwest.activities.map((a) => a.activity)).toEqual(launchActivityKinds);
    expect(norwest.done).toBe(norwest.activities.filter((a) => a.status === 'DONE').length);
    expect(norwest.done).toBeGreaterThanOrEqual(8);
    expect(JSON.stringify(progress.data)).not.toContain('Norwest only');

    const named = await graphql(server, launchProgress, { sites: ['temiskaming'] }, analyst);
    expect(named.data!.launchProgress.map((s) => s.site.slug)).toEqual(['temiskaming']);

    // The plan's leads, dates and notes: refused by the catalogue, and by row-level security below it.
    const plan = await graphql(server, launchPlan, {}, analyst);
    expect(codes(plan)).toEqual(['FORBIDDEN']);
    const lookup = await graphql(server, activityNode, { id: norwestNotedId }, analyst);
    expect(lookup.data?.node ?? null).toBeNull();
    expect(JSON.stringify(lookup)).not.toContain('Norwest only');
    // Positive control: the same lookup by the site's own staff returns the notes.
    const own = await graphql(server, activityNode, { id: norwestNotedId }, norwestAdmin);
    expect(own.data!.node).toMatchObject({ __typename: 'LaunchActivity', notes: secretNote });
  });

  it('site staff see their own site’s progress only, whatever sites they name; partners nothing', async () => {
    const result = await graphql(server, launchProgress, { sites: ['norwest', 'guelph'] }, guelphStaff);
    expect(result.errors).toBeUndefined();
    expect(result.data!.launchProgress.map((s) => s.site.slug)).toEqual(['guelph']);
    const byPartner = await graphql(server, launchProgress, {}, await partner('teamcare', 'referrals:create referrals:read programs:read'));
    expect(codes(byPartner)).toEqual(['FORBIDDEN']);
    const planByPartner = await graphql(server, launchPlan, {}, await partner('teamcare', 'referrals:create referrals:read programs:read'));
    expect(codes(planByPartner)).toEqual(['FORBIDDEN']);
  });

  it('row-level security alone: as the request role, the Alliance reads no plan row, a site its own', async () => {
    const asPrincipal = (settings: Record<string, string>) =>
      server.db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL ROLE rx_app');
        for (const [name, value] of Object.entries(settings)) await tx.$executeRaw`SELECT set_config(${name}, ${value}, true)`;
        return tx.launchActivity.findMany({ select: { tenantId: true } });
      });
    expect(await asPrincipal({ 'app.principal_kind': 'NETWORK', 'app.roles': 'ALLIANCE_ADMIN' })).toEqual([]);
    const own = await asPrincipal({ 'app.principal_kind': 'STAFF', 'app.tenant_id': 'guelph', 'app.roles': 'LINK_WORKER' });
    expect(own).toHaveLength(9);
    expect(own.every((r) => r.tenantId === 'guelph')).toBe(true);
  });
});
