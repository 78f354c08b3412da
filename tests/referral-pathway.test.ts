// The closed-loop referral pathway over the real HTTP server: moves along the state machine, the
// link worker's steps, items, assignment, edits with optimistic concurrency, partner cancellation,
// filters — tried the way an attacker would: wrong side, wrong role, another site's ids, stale
// versions, concurrent writers. The history is checked to only ever grow.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferralStatus } from '../src/generated/prisma/enums.js';
import { codes, graphql, startTestServer, type GraphQLResponse, type TestServer } from './support/server.js';
import { versioned } from './support/versions.js';
import { network, partner, staff } from './support/tokens.js';
import type { Principal } from '../src/auth/principal.js';
import { principalSettingsSql } from '../src/db/principal-settings.js';
import { openRequestScope, type RequestDb } from '../src/db/request-scope.js';

type Headers = Record<string, string>;
type Result = GraphQLResponse<any>;
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const gid = encodeGlobalID;

const EVENT =
  'kind fromStatus toStatus outcome action contactResult note actorSubject actorKind itemId fromItemStatus toItemStatus assignedStaff { id } actorStaff { id } occurredAt';
const RX = `id status outcome statusReason { code } statusReasonText closedAt version goals notes needs supportLevel linkWorker { id } events { ${EVENT} }`;
const ITEM = 'id status note program { id } asset { id name } prescription { id }';
const mutations = {
  create: `mutation($input: CreateSocialPrescriptionInput!) { createSocialPrescription(input: $input) { ${RX} } }`,
  transition: `mutation($input: TransitionSocialPrescriptionInput!) { transitionSocialPrescription(input: $input) { ${RX} } }`,
  action: `mutation($input: RecordPrescriptionActionInput!) { recordPrescriptionAction(input: $input) { ${RX} } }`,
  assign: `mutation($input: AssignLinkWorkerInput!) { assignLinkWorker(input: $input) { ${RX} } }`,
  update: `mutation($input: UpdateSocialPrescriptionInput!) { updateSocialPrescription(input: $input) { ${RX} } }`,
  addItem: `mutation($input: AddPrescriptionItemInput!) { addPrescriptionItem(input: $input) { ${ITEM} } }`,
  itemStatus: `mutation($input: UpdatePrescriptionItemStatusInput!) { updatePrescriptionItemStatus(input: $input) { ${ITEM} } }`,
  updateClient: 'mutation($input: UpdateClientInput!) { updateClient(input: $input) { id version chartNumber givenName phone } }',
  submit: 'mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status } }',
  cancel: 'mutation($input: CancelReferralInput!) { cancelReferral(input: $input) { id status closedAt } }',
};

describe('referral pathway', () => {
  let server: TestServer;
  let prescriber: Headers;
  let linkWorker: Headers;
  let bothSides: Headers;
  const ids = {} as Record<
    | 'guelphClient'
    | 'guelphLinkWorker'
    | 'guelphOtherLinkWorker'
    | 'guelphPrescriber'
    | 'guelphProgram'
    | 'networkProgram'
    | 'guelphAsset'
    | 'sharedAsset'
    | 'norwestClient'
    | 'norwestOpenRx'
    | 'norwestLinkWorker'
    | 'norwestPrescriber'
    | 'norwestProgram'
    | 'siteOnlyAsset'
    | 'norwestItem',
    string
  >;
  let eventsAtStart: Map<string, string>;

  const gql = (headers: Headers, query: string, input: Record<string, unknown>) => graphql(server, query, { input }, headers);
  const owner = () => server.db.prisma;
  const counts = async () => ({
    clients: await owner().client.count(),
    prescriptions: await owner().socialPrescription.count(),
    events: await owner().prescriptionEvent.count(),
    items: await owner().prescriptionItem.count(),
  });
  /** Ground truth of one prescription, through the owner connection. */
  const state = async (id: string) => ({
    row: await owner().socialPrescription.findUniqueOrThrow({ where: { id } }),
    events: await owner().prescriptionEvent.findMany({ where: { prescriptionId: id }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] }),
    items: await owner().prescriptionItem.findMany({ where: { prescriptionId: id }, orderBy: { id: 'asc' } }),
  });
  /** A fresh REQUESTED referral at Guelph, made by the prescriber; returns its global id. */
  const newReferral = async (input: Record<string, unknown> = {}) => {
    const result = await gql(prescriber, mutations.create, {
      clientId: gid('Client', ids.guelphClient),
      needs: ['SOCIAL_ISOLATION'],
      supportLevel: 'MEDIUM',
      ...input,
    });
    expect(result.errors).toBeUndefined();
    return result.data.createSocialPrescription.id as string;
  };
  /** A fresh Guelph referral put straight into `status` through the owner connection. */
  const referralIn = async (status: ReferralStatus) => {
    const id = await newReferral();
    await owner().socialPrescription.update({ where: { id: rawId(id) }, data: { status } });
    return id;
  };

  beforeAll(async () => {
    server = await startTestServer();
    prescriber = await staff('guelph', 'PRESCRIBER');
    linkWorker = await staff('guelph', 'LINK_WORKER');
    bothSides = await staff('guelph', 'PRESCRIBER', 'LINK_WORKER');
    const db = server.db.prisma;
    const linkWorkers = await db.staffMember.findMany({
      where: { tenantId: 'guelph', roles: { has: 'LINK_WORKER' }, active: true },
      orderBy: { subject: 'asc' },
    });
    expect(linkWorkers.length).toBeGreaterThan(1);
    ids.guelphLinkWorker = linkWorkers.find((s) => s.subject === 'guelph.link_worker.1')!.id;
    ids.guelphOtherLinkWorker = linkWorkers.find((s) => s.subject !== 'guelph.link_worker.1')!.id;
    ids.guelphPrescriber = (await db.staffMember.findFirstOrThrow({ where: { tenantId: 'guelph', subject: 'guelph.prescriber.1' } })).id;
    ids.guelphClient = (await db.client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { chartNumber: 'asc' } })).id;
    ids.guelphProgram = (await db.program.findFirstOrThrow({ where: { tenantId: 'guelph', active: true } })).id;
    ids.networkProgram = (await db.program.findFirstOrThrow({ where: { tenantId: null, active: true } })).id;
    ids.guelphAsset = (await db.communityAsset.findFirstOrThrow({ where: { tenantId: 'guelph', retiredAt: null } })).id;
    ids.sharedAsset = (await db.communityAsset.findFirstOrThrow({ where: { tenantId: { not: 'guelph' }, visibility: 'NETWORK', retiredAt: null } })).id;
    ids.siteOnlyAsset = (await db.communityAsset.findFirstOrThrow({ where: { tenantId: 'norwest', visibility: 'SITE', retiredAt: null } })).id;
    ids.norwestClient = (await db.client.findFirstOrThrow({ where: { tenantId: 'norwest' } })).id;
    ids.norwestOpenRx = (
      await db.socialPrescription.findFirstOrThrow({ where: { tenantId: 'norwest', status: { in: ['REQUESTED', 'ACCEPTED', 'IN_PROGRESS'] } } })
    ).id;
    ids.norwestItem = (
      await db.prescriptionItem
        .findFirstOrThrow({ where: { tenantId: 'norwest', prescriptionId: ids.norwestOpenRx } })
        .catch(() => db.prescriptionItem.findFirstOrThrow({ where: { tenantId: 'norwest' } }))
    ).id;
    ids.norwestLinkWorker = (await db.staffMember.findFirstOrThrow({ where: { tenantId: 'norwest', roles: { has: 'LINK_WORKER' } } })).id;
    ids.norwestPrescriber = (await db.staffMember.findFirstOrThrow({ where: { tenantId: 'norwest', roles: { has: 'PRESCRIBER' } } })).id;
    ids.norwestProgram = (await db.program.findFirstOrThrow({ where: { tenantId: 'norwest', active: true } })).id;
    eventsAtStart = new Map((await db.prescriptionEvent.findMany()).map((e) => [e.id, JSON.stringify(e)]));
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('the happy path', () => {
    it('REQUESTED → ACCEPTED → IN_PROGRESS → COMPLETED, with steps, items and the full history', async () => {
      const id = await newReferral({ needs: ['SOCIAL_ISOLATION', 'ARTS_AND_CULTURE'], goals: ['Meet people'] });
      const assigned = await gql(linkWorker, mutations.assign, {
        prescriptionId: id,
        linkWorkerId: gid('StaffMember', ids.guelphLinkWorker),
        expectedVersion: 1,
      });
      expect(assigned.errors).toBeUndefined();
      expect(assigned.data.assignLinkWorker).toMatchObject({ version: 2, linkWorker: { id: gid('StaffMember', ids.guelphLinkWorker) } });

      const accepted = await gql(linkWorker, mutations.transition, { id, to: 'ACCEPTED', expectedVersion: 2, note: 'Will call this week.' });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data.transitionSocialPrescription).toMatchObject({ status: 'ACCEPTED', version: 3, closedAt: null, outcome: null });

      const contact = await gql(linkWorker, mutations.action, {
        prescriptionId: id,
        action: 'CONTACT_ATTEMPT',
        contactResult: 'REACHED',
        note: 'Booked a first meeting.',
      });
      expect(contact.errors).toBeUndefined();
      expect(contact.data.recordPrescriptionAction.version).toBe(3); // a step alone leaves the prescription as it is

      const started = await gql(linkWorker, mutations.transition, { id, to: 'IN_PROGRESS', expectedVersion: 3 });
      expect(started.data.transitionSocialPrescription).toMatchObject({ status: 'IN_PROGRESS', version: 4 });

      const goals = await gql(linkWorker, mutations.action, { prescriptionId: id, action: 'GOAL_SETTING', goals: ['Join a choir', 'Walk twice a week'] });
      expect(goals.errors).toBeUndefined();
      expect(goals.data.recordPrescriptionAction).toMatchObject({ version: 5, goals: ['Meet people', 'Join a choir', 'Walk twice a week'] });

      const item = await gql(linkWorker, mutations.addItem, { prescriptionId: id, programId: gid('Program', ids.guelphProgram), note: 'Tuesday group.' });
      expect(item.errors).toBeUndefined();
      expect(item.data.addPrescriptionItem).toMatchObject({
        status: 'SUGGESTED',
        note: 'Tuesday group.',
        program: { id: gid('Program', ids.guelphProgram) },
        asset: null,
        prescription: { id },
      });
      const itemId = item.data.addPrescriptionItem.id;
      for (const status of ['ENROLLED', 'ATTENDED']) {
        const moved = await gql(linkWorker, mutations.itemStatus, { ...(await versioned(server, itemId)).input, status });
        expect(moved.errors).toBeUndefined();
        expect(moved.data.updatePrescriptionItemStatus.status).toBe(status);
      }

      const completed = await gql(linkWorker, mutations.transition, {
        id,
        to: 'COMPLETED',
        outcome: 'GOT_HELP',
        expectedVersion: 5,
        note: 'Sings every week now.',
      });
      expect(completed.errors).toBeUndefined();
      const done = completed.data.transitionSocialPrescription;
      expect(done).toMatchObject({ status: 'COMPLETED', outcome: 'GOT_HELP', version: 6, statusReason: null });
      expect(new Date(done.closedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

      const lw = gid('StaffMember', ids.guelphLinkWorker);
      const byLinkWorker = { actorSubject: 'guelph.link_worker.1', actorKind: 'STAFF', actorStaff: { id: lw } };
      expect(done.events).toMatchObject([
        { kind: 'CREATED', toStatus: 'REQUESTED', actorSubject: 'guelph.prescriber.1', actorStaff: { id: gid('StaffMember', ids.guelphPrescriber) } },
        { kind: 'LINK_WORKER_ASSIGNED', assignedStaff: { id: lw }, ...byLinkWorker },
        { kind: 'STATUS_CHANGED', fromStatus: 'REQUESTED', toStatus: 'ACCEPTED', note: 'Will call this week.', outcome: null, ...byLinkWorker },
        { kind: 'ACTION_RECORDED', action: 'CONTACT_ATTEMPT', contactResult: 'REACHED', note: 'Booked a first meeting.', ...byLinkWorker },
        { kind: 'STATUS_CHANGED', fromStatus: 'ACCEPTED', toStatus: 'IN_PROGRESS', ...byLinkWorker },
        { kind: 'ACTION_RECORDED', action: 'GOAL_SETTING', contactResult: null, note: 'Join a choir\nWalk twice a week', ...byLinkWorker },
        { kind: 'ITEM_ADDED', itemId, toItemStatus: 'SUGGESTED', fromItemStatus: null, note: 'Tuesday group.', ...byLinkWorker },
        { kind: 'ITEM_STATUS_CHANGED', itemId, fromItemStatus: 'SUGGESTED', toItemStatus: 'ENROLLED', ...byLinkWorker },
        { kind: 'ITEM_STATUS_CHANGED', itemId, fromItemStatus: 'ENROLLED', toItemStatus: 'ATTENDED', ...byLinkWorker },
        { kind: 'STATUS_CHANGED', fromStatus: 'IN_PROGRESS', toStatus: 'COMPLETED', outcome: 'GOT_HELP', note: 'Sings every week now.', ...byLinkWorker },
      ]);

      // The link worker's steps alone, through the events filter.
      const steps = await graphql(
        server,
        'query($id: ID!) { node(id: $id) { ... on SocialPrescription { events(kinds: [ACTION_RECORDED]) { action } } } }',
        { id },
        linkWorker,
      );
      expect(steps.data.node.events).toEqual([{ action: 'CONTACT_ATTEMPT' }, { action: 'GOAL_SETTING' }]);

      // The closed referral is final but for ENTERED_IN_ERROR, which keeps when it closed.
      const closed = await state(rawId(id));
      const after = await gql(linkWorker, mutations.action, { prescriptionId: id, action: 'FOLLOW_UP' });
      expect(codes(after)).toEqual(['INVALID_TRANSITION']);
      const error = await gql(prescriber, mutations.transition, { id, to: 'ENTERED_IN_ERROR', reason: 'Wrong chart.' });
      expect(error.data.transitionSocialPrescription).toMatchObject({
        status: 'ENTERED_IN_ERROR',
        outcome: 'GOT_HELP',
        statusReason: null,
        statusReasonText: 'Wrong chart.',
        closedAt: done.closedAt,
      });
      expect(error.data.transitionSocialPrescription.events.at(-1)).toMatchObject({
        fromStatus: 'COMPLETED',
        toStatus: 'ENTERED_IN_ERROR',
        note: 'Wrong chart.',
        actorSubject: 'guelph.prescriber.1',
      });
      expect((await state(rawId(id))).events.slice(0, closed.events.length)).toEqual(closed.events);
    });

    it('entries written by one request keep their order in the history', async () => {
      for (let i = 0; i < 3; i++) {
        const id = await newReferral({
          linkWorkerId: gid('StaffMember', ids.guelphLinkWorker),
          programIds: [gid('Program', ids.guelphProgram), gid('Program', ids.networkProgram)],
        });
        expect((await state(rawId(id))).events.map((e) => e.kind)).toEqual(['CREATED', 'LINK_WORKER_ASSIGNED', 'ITEM_ADDED', 'ITEM_ADDED']);
      }
    });

    it('a DRAFT is sent, then withdrawn by the prescriber with a reason', async () => {
      const id = await newReferral({ status: 'DRAFT' });
      const sent = await gql(prescriber, mutations.transition, { id, to: 'REQUESTED' });
      expect(sent.data.transitionSocialPrescription).toMatchObject({ status: 'REQUESTED', closedAt: null });
      const cancelled = await gql(prescriber, mutations.transition, {
        id,
        to: 'CANCELLED',
        reasonCode: 'CLIENT_DECLINED',
        reason: 'Client moved away.',
        note: 'Gave them the 211 number.',
      });
      expect(cancelled.data.transitionSocialPrescription).toMatchObject({
        status: 'CANCELLED',
        statusReason: { code: 'CLIENT_DECLINED' },
        statusReasonText: 'Client moved away.',
        outcome: null,
      });
      expect(cancelled.data.transitionSocialPrescription.closedAt).not.toBeNull();
      expect(cancelled.data.transitionSocialPrescription.events.at(-1)).toMatchObject({
        toStatus: 'CANCELLED',
        note: 'Client moved away.\nGave them the 211 number.',
      });
    });
  });

  describe('moves the state machine refuses', () => {
    const statuses: ReferralStatus[] = [
      'DRAFT',
      'REQUESTED',
      'ACCEPTED',
      'REJECTED',
      'IN_PROGRESS',
      'ON_HOLD',
      'COMPLETED',
      'FAILED',
      'CANCELLED',
      'ENTERED_IN_ERROR',
    ];
    const allowed: Record<ReferralStatus, ReferralStatus[]> = {
      DRAFT: ['REQUESTED', 'CANCELLED', 'ENTERED_IN_ERROR'],
      REQUESTED: ['ACCEPTED', 'REJECTED', 'CANCELLED', 'ENTERED_IN_ERROR'],
      ACCEPTED: ['IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR'],
      IN_PROGRESS: ['ON_HOLD', 'COMPLETED', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR'],
      ON_HOLD: ['IN_PROGRESS', 'FAILED', 'CANCELLED', 'ENTERED_IN_ERROR'],
      REJECTED: ['ENTERED_IN_ERROR'],
      COMPLETED: ['ENTERED_IN_ERROR'],
      FAILED: ['ENTERED_IN_ERROR'],
      CANCELLED: ['ENTERED_IN_ERROR'],
      ENTERED_IN_ERROR: [],
    };

    it.each(statuses)('from %s: every move outside the table answers INVALID_TRANSITION and changes nothing, even for both sides at once', async (from) => {
      const id = await referralIn(from);
      const before = await state(rawId(id));
      const refused = statuses.filter((to) => !allowed[from].includes(to));
      for (const to of refused) {
        const outcome = to === 'COMPLETED' || to === 'FAILED' ? 'GOT_HELP' : undefined;
        const reasonCode = to === 'REJECTED' || to === 'CANCELLED' || to === 'FAILED' ? 'OTHER' : undefined;
        const result = await gql(bothSides, mutations.transition, { id, to, outcome, reasonCode });
        expect(codes(result), `${from} → ${to}`).toEqual(['INVALID_TRANSITION']);
        expect(result.errors![0]!.message).toContain(`A referral that is ${from} cannot become ${to}`);
        expect(result.data ?? null).toBeNull();
      }
      expect(await state(rawId(id))).toEqual(before);
    });

    it('the wrong side answers INVALID_TRANSITION naming the side that may, and changes nothing', async () => {
      const id = await newReferral();
      const before = await state(rawId(id));
      const accept = await gql(prescriber, mutations.transition, { id, to: 'ACCEPTED' });
      expect(codes(accept)).toEqual(['INVALID_TRANSITION']);
      expect(accept.errors![0]!.message).toBe('ACCEPTED is set by the receiving side (link workers)');
      for (const to of ['REJECTED'] as const) {
        expect(codes(await gql(prescriber, mutations.transition, { id, to, reasonCode: 'CAPACITY' }))).toEqual(['INVALID_TRANSITION']);
      }
      for (const to of ['CANCELLED', 'ENTERED_IN_ERROR'] as const) {
        const result = await gql(linkWorker, mutations.transition, { id, to, reasonCode: to === 'CANCELLED' ? 'OTHER' : undefined });
        expect(codes(result)).toEqual(['INVALID_TRANSITION']);
        expect(result.errors![0]!.message).toBe(`${to} is set by the referring side (prescribers, or the referring partner)`);
      }
      const accepted = await referralIn('ACCEPTED');
      const acceptedBefore = await state(rawId(accepted));
      for (const to of ['IN_PROGRESS', 'ON_HOLD'] as const)
        expect(codes(await gql(prescriber, mutations.transition, { id: accepted, to }))).toEqual(['INVALID_TRANSITION']);
      expect(codes(await gql(prescriber, mutations.transition, { id: accepted, to: 'COMPLETED', outcome: 'GOT_HELP' }))).toEqual(['INVALID_TRANSITION']);
      expect(await state(rawId(id))).toEqual(before);
      expect(await state(rawId(accepted))).toEqual(acceptedBefore);
    });

    it('a rejection may say why it ended, as an outcome', async () => {
      const id = await referralIn('REQUESTED');
      const rejected = await gql(linkWorker, mutations.transition, {
        id,
        to: 'REJECTED',
        outcome: 'NOT_ELIGIBLE',
        reasonCode: 'NOT_ELIGIBLE',
        reason: 'Lives outside the catchment.',
      });
      expect(rejected.errors).toBeUndefined();
      expect(rejected.data.transitionSocialPrescription).toMatchObject({ status: 'REJECTED', outcome: 'NOT_ELIGIBLE' });
    });

    it('an outcome is required to complete or fail, and refused with a move that does not end the referral', async () => {
      const id = await referralIn('IN_PROGRESS');
      const before = await state(rawId(id));
      for (const to of ['COMPLETED', 'FAILED']) {
        const missing = await gql(linkWorker, mutations.transition, { id, to, reasonCode: to === 'FAILED' ? 'UNABLE_TO_CONTACT' : undefined });
        expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
        expect(missing.errors![0]!.extensions).toMatchObject({ fields: [{ field: 'input.outcome' }] });
      }
      const extra = await gql(linkWorker, mutations.transition, { id, to: 'ON_HOLD', outcome: 'GOT_HELP' });
      expect(codes(extra)).toEqual(['BAD_USER_INPUT']);
      expect(extra.errors![0]!.extensions).toMatchObject({ fields: [{ field: 'input.outcome' }] });
      expect(await state(rawId(id))).toEqual(before);
      const failed = await gql(linkWorker, mutations.transition, {
        id,
        to: 'FAILED',
        outcome: 'COULD_NOT_CONTACT',
        reasonCode: 'UNABLE_TO_CONTACT',
        reason: 'Three attempts.',
      });
      expect(failed.data.transitionSocialPrescription).toMatchObject({
        status: 'FAILED',
        outcome: 'COULD_NOT_CONTACT',
        statusReason: { code: 'UNABLE_TO_CONTACT' },
        statusReasonText: 'Three attempts.',
      });
      expect(failed.data.transitionSocialPrescription.events.at(-1)).toMatchObject({ outcome: 'COULD_NOT_CONTACT', toStatus: 'FAILED' });
    });
  });

  describe('optimistic concurrency', () => {
    it('a stale expectedVersion answers CONFLICT and changes nothing', async () => {
      const id = await newReferral();
      const before = await state(rawId(id));
      for (const [query, input] of [
        [mutations.transition, { id, to: 'ACCEPTED', expectedVersion: 7 }],
        [mutations.assign, { prescriptionId: id, linkWorkerId: gid('StaffMember', ids.guelphLinkWorker), expectedVersion: 0 }],
        [mutations.update, { id, expectedVersion: 2, notes: 'stale' }],
      ] as const) {
        expect(codes(await gql(bothSides, query, input))).toEqual(['CONFLICT']);
      }
      expect(await state(rawId(id))).toEqual(before);
    });

    it('of concurrent moves from the same version exactly one wins', async () => {
      const id = await newReferral();
      const before = await counts();
      const results = await Promise.all(Array.from({ length: 4 }, () => gql(linkWorker, mutations.transition, { id, to: 'ACCEPTED', expectedVersion: 1 })));
      expect(results.filter((r) => !r.errors).length).toBe(1);
      expect(results.filter((r) => r.errors).flatMap(codes)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      const after = await state(rawId(id));
      expect(after.row).toMatchObject({ status: 'ACCEPTED', version: 2 });
      expect(after.events.filter((e) => e.kind === 'STATUS_CHANGED')).toHaveLength(1);
      expect((await counts()).events).toBe(before.events + 1);
    });

    it('without expectedVersion, concurrent identical moves still record one change', async () => {
      const id = await referralIn('ACCEPTED');
      const results = await Promise.all(Array.from({ length: 3 }, () => gql(linkWorker, mutations.transition, { id, to: 'IN_PROGRESS' })));
      expect(results.filter((r) => !r.errors).length).toBe(1);
      for (const code of results.filter((r) => r.errors).flatMap(codes)) expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(code);
      const after = await state(rawId(id));
      expect(after.events.filter((e) => e.kind === 'STATUS_CHANGED')).toHaveLength(1);
    });

    it('of concurrent edits from the same version exactly one wins', async () => {
      const id = await newReferral();
      const results = await Promise.all(['one', 'two', 'three'].map((notes) => gql(prescriber, mutations.update, { id, expectedVersion: 1, notes })));
      expect(results.filter((r) => !r.errors).length).toBe(1);
      expect(results.filter((r) => r.errors).flatMap(codes)).toEqual(['CONFLICT', 'CONFLICT']);
      const winner = results.find((r) => !r.errors)!.data.updateSocialPrescription;
      expect((await state(rawId(id))).row).toMatchObject({ version: 2, notes: winner.notes });
    });
  });

  describe('editing', () => {
    it('updateSocialPrescription changes only the fields given, on an open referral', async () => {
      const id = await newReferral({ goals: ['Keep'], notes: 'Original' });
      const updated = await gql(linkWorker, mutations.update, {
        id,
        expectedVersion: 1,
        needs: ['FOOD', 'HOUSING'],
        supportLevel: 'HOLISTIC',
        interests: ['Gardening'],
      });
      expect(updated.errors).toBeUndefined();
      expect(updated.data.updateSocialPrescription).toMatchObject({
        version: 2,
        needs: ['FOOD', 'HOUSING'],
        supportLevel: 'HOLISTIC',
        goals: ['Keep'],
        notes: 'Original',
      });
      const cleared = await gql(prescriber, mutations.update, { id, expectedVersion: 2, notes: null });
      expect(cleared.data.updateSocialPrescription).toMatchObject({ version: 3, notes: null });
      const edits = await server.db.prisma.prescriptionEvent.findMany({
        where: { prescriptionId: rawId(id), kind: 'DETAILS_UPDATED' },
        orderBy: { occurredAt: 'asc' },
      });
      expect(edits.map((e) => e.changedFields)).toEqual([['interests', 'needs', 'supportLevel'], ['notes']]);
      const empty = await gql(prescriber, mutations.update, { id, expectedVersion: 3, needs: [] });
      expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
      expect(empty.errors![0]!.extensions).toMatchObject({ fields: [{ field: 'input.needs' }] });
      const closed = await referralIn('CANCELLED');
      expect(codes(await gql(prescriber, mutations.update, { id: closed, expectedVersion: 1, notes: 'late' }))).toEqual(['INVALID_TRANSITION']);
    });

    it('updateClient needs the current version and a chart number free at the site', async () => {
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { chartNumber: 'desc' } });
      const other = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph', id: { not: client.id } } });
      const id = gid('Client', client.id);
      const updated = await gql(await staff('guelph', 'DATA_COORDINATOR'), mutations.updateClient, {
        id,
        expectedVersion: client.version,
        phone: '519-555-0199',
      });
      expect(updated.errors).toBeUndefined();
      expect(updated.data.updateClient).toMatchObject({
        version: client.version + 1,
        phone: '519-555-0199',
        givenName: client.givenName,
        chartNumber: client.chartNumber,
      });
      const before = await owner().client.findUniqueOrThrow({ where: { id: client.id } });
      expect(codes(await gql(linkWorker, mutations.updateClient, { id, expectedVersion: client.version, givenName: 'Stale' }))).toEqual(['CONFLICT']);
      expect(codes(await gql(linkWorker, mutations.updateClient, { id, expectedVersion: client.version + 1, chartNumber: other.chartNumber }))).toEqual([
        'CONFLICT',
      ]);
      const bad = await gql(linkWorker, mutations.updateClient, { id, expectedVersion: client.version + 1, email: 'not-an-email', givenName: null });
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
      expect((bad.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['input.email', 'input.givenName']);
      expect(await owner().client.findUniqueOrThrow({ where: { id: client.id } })).toEqual(before);
      const cleared = await gql(linkWorker, mutations.updateClient, { id, expectedVersion: client.version + 1, phone: null });
      expect(cleared.data.updateClient).toMatchObject({ phone: null, version: client.version + 2 });
    });
  });

  describe('link worker steps', () => {
    it('contact attempts need a result; only goal setting adds goals; only link workers record steps', async () => {
      const id = await referralIn('ACCEPTED');
      const before = await state(rawId(id));
      const noResult = await gql(linkWorker, mutations.action, { prescriptionId: id, action: 'CONTACT_ATTEMPT' });
      expect(noResult.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.contactResult' }] });
      const strayResult = await gql(linkWorker, mutations.action, { prescriptionId: id, action: 'FOLLOW_UP', contactResult: 'REACHED' });
      expect(strayResult.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.contactResult' }] });
      const strayGoals = await gql(linkWorker, mutations.action, { prescriptionId: id, action: 'ACCOMPANIMENT', goals: ['x'] });
      expect(strayGoals.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.goals' }] });
      expect(codes(await gql(prescriber, mutations.action, { prescriptionId: id, action: 'FOLLOW_UP' }))).toEqual(['FORBIDDEN']);
      expect(await state(rawId(id))).toEqual(before);

      const recorded = await gql(linkWorker, mutations.action, { prescriptionId: id, action: 'CONTACT_ATTEMPT', contactResult: 'LEFT_MESSAGE' });
      expect(recorded.data.recordPrescriptionAction.events.at(-1)).toMatchObject({
        kind: 'ACTION_RECORDED',
        action: 'CONTACT_ATTEMPT',
        contactResult: 'LEFT_MESSAGE',
        note: null,
      });
      expect((await state(rawId(id))).row.version).toBe(before.row.version);
    });
  });

  describe('items', () => {
    it('connect to own and network programs and assets; another site’s own ones read as not found', async () => {
      const id = await referralIn('IN_PROGRESS');
      for (const input of [
        { programId: gid('Program', ids.networkProgram) },
        { assetId: gid('CommunityAsset', ids.guelphAsset) },
        { assetId: gid('CommunityAsset', ids.sharedAsset) },
      ]) {
        const added = await gql(linkWorker, mutations.addItem, { prescriptionId: id, ...input });
        expect(added.errors).toBeUndefined();
        expect(added.data.addPrescriptionItem.status).toBe('SUGGESTED');
      }
      const asset = await graphql(
        server,
        'query($id: ID!) { node(id: $id) { ... on SocialPrescription { items { asset { id } program { id } } } } }',
        { id },
        linkWorker,
      );
      expect(asset.data.node.items).toEqual([
        { asset: null, program: { id: gid('Program', ids.networkProgram) } },
        { asset: { id: gid('CommunityAsset', ids.guelphAsset) }, program: null },
        { asset: { id: gid('CommunityAsset', ids.sharedAsset) }, program: null },
      ]);
      const before = await state(rawId(id));
      expect(codes(await gql(prescriber, mutations.addItem, { prescriptionId: id, programId: gid('Program', ids.networkProgram) }))).toEqual(['CONFLICT']);
      for (const input of [{ programId: gid('Program', ids.norwestProgram) }, { assetId: gid('CommunityAsset', ids.siteOnlyAsset) }]) {
        expect(codes(await gql(linkWorker, mutations.addItem, { prescriptionId: id, ...input }))).toEqual(['NOT_FOUND']);
      }
      for (const input of [{}, { programId: gid('Program', ids.guelphProgram), assetId: gid('CommunityAsset', ids.guelphAsset) }]) {
        const result = await gql(linkWorker, mutations.addItem, { prescriptionId: id, ...input });
        expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.programId' }] });
      }
      expect(codes(await gql(linkWorker, mutations.addItem, { prescriptionId: id, assetId: gid('Program', ids.guelphProgram) }))).toEqual(['BAD_USER_INPUT']);
      expect(await state(rawId(id))).toEqual(before);
    });

    it('item status changes are recorded from → to; the same status twice and prescribers are refused', async () => {
      const id = await referralIn('IN_PROGRESS');
      const added = await gql(prescriber, mutations.addItem, { prescriptionId: id, programId: gid('Program', ids.guelphProgram) });
      const itemId = added.data.addPrescriptionItem.id;
      expect(codes(await gql(prescriber, mutations.itemStatus, { ...(await versioned(server, itemId)).input, status: 'ENROLLED' }))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(linkWorker, mutations.itemStatus, { ...(await versioned(server, itemId)).input, status: 'SUGGESTED' }))).toEqual([
        'INVALID_TRANSITION',
      ]);
      const stopped = await gql(linkWorker, mutations.itemStatus, { ...(await versioned(server, itemId)).input, status: 'STOPPED', note: 'Schedule clash.' });
      expect(stopped.data.updatePrescriptionItemStatus).toMatchObject({ status: 'STOPPED' });
      const history = (await state(rawId(id))).events.filter((e) => e.kind.startsWith('ITEM'));
      expect(history).toMatchObject([
        { kind: 'ITEM_ADDED', itemId: rawId(itemId), fromItemStatus: null, toItemStatus: 'SUGGESTED', actorSubject: 'guelph.prescriber.1' },
        {
          kind: 'ITEM_STATUS_CHANGED',
          itemId: rawId(itemId),
          fromItemStatus: 'SUGGESTED',
          toItemStatus: 'STOPPED',
          note: 'Schedule clash.',
          actorSubject: 'guelph.link_worker.1',
        },
      ]);
      await owner().socialPrescription.update({ where: { id: rawId(id) }, data: { status: 'COMPLETED' } });
      expect(codes(await gql(linkWorker, mutations.itemStatus, { ...(await versioned(server, itemId)).input, status: 'ENROLLED' }))).toEqual([
        'INVALID_TRANSITION',
      ]);
      expect(codes(await gql(linkWorker, mutations.addItem, { prescriptionId: id, assetId: gid('CommunityAsset', ids.guelphAsset) }))).toEqual([
        'INVALID_TRANSITION',
      ]);
    });
  });

  describe('assignment', () => {
    it('only a link worker of the same site can be assigned', async () => {
      const id = await newReferral();
      const before = await state(rawId(id));
      const foreign = await gql(prescriber, mutations.assign, { prescriptionId: id, linkWorkerId: gid('StaffMember', ids.norwestLinkWorker) });
      expect(codes(foreign)).toEqual(['NOT_FOUND']);
      const notLinkWorker = await gql(prescriber, mutations.assign, { prescriptionId: id, linkWorkerId: gid('StaffMember', ids.guelphPrescriber) });
      expect(notLinkWorker.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.linkWorkerId' }] });
      expect(await state(rawId(id))).toEqual(before);
      const assigned = await gql(prescriber, mutations.assign, {
        prescriptionId: id,
        linkWorkerId: gid('StaffMember', ids.guelphOtherLinkWorker),
        expectedVersion: 1,
      });
      expect(assigned.data.assignLinkWorker).toMatchObject({ version: 2, linkWorker: { id: gid('StaffMember', ids.guelphOtherLinkWorker) } });
      expect(assigned.data.assignLinkWorker.events.at(-1)).toMatchObject({
        kind: 'LINK_WORKER_ASSIGNED',
        assignedStaff: { id: gid('StaffMember', ids.guelphOtherLinkWorker) },
        actorSubject: 'guelph.prescriber.1',
      });
      const again = await gql(linkWorker, mutations.assign, { prescriptionId: id, linkWorkerId: gid('StaffMember', ids.guelphOtherLinkWorker) });
      expect(again.data.assignLinkWorker.version).toBe(2);
    });
  });

  describe('another site’s ids', () => {
    const missingRx = '00000000-0000-4000-8000-000000000000';
    const cases = (): [string, Headers, string, Record<string, unknown>][] => [
      ['transition', bothSides, mutations.transition, { id: gid('SocialPrescription', ids.norwestOpenRx), to: 'CANCELLED', reasonCode: 'OTHER' }],
      ['action', linkWorker, mutations.action, { prescriptionId: gid('SocialPrescription', ids.norwestOpenRx), action: 'FOLLOW_UP' }],
      [
        'assign (prescription)',
        linkWorker,
        mutations.assign,
        { prescriptionId: gid('SocialPrescription', ids.norwestOpenRx), linkWorkerId: gid('StaffMember', ids.guelphLinkWorker) },
      ],
      [
        'add item (prescription)',
        linkWorker,
        mutations.addItem,
        { prescriptionId: gid('SocialPrescription', ids.norwestOpenRx), programId: gid('Program', ids.guelphProgram) },
      ],
      ['item status', linkWorker, mutations.itemStatus, { id: gid('PrescriptionItem', ids.norwestItem), expectedVersion: 1, status: 'STOPPED' }],
      ['update', prescriber, mutations.update, { id: gid('SocialPrescription', ids.norwestOpenRx), expectedVersion: 1, notes: 'x' }],
      ['update client', prescriber, mutations.updateClient, { id: gid('Client', ids.norwestClient), expectedVersion: 1, givenName: 'X' }],
    ];

    it('every mutation answers NOT_FOUND, exactly as for an id that does not exist, and writes nothing', async () => {
      const norwestBefore = {
        rx: await owner().socialPrescription.findUniqueOrThrow({ where: { id: ids.norwestOpenRx } }),
        item: await owner().prescriptionItem.findUniqueOrThrow({ where: { id: ids.norwestItem } }),
        client: await owner().client.findUniqueOrThrow({ where: { id: ids.norwestClient } }),
      };
      const before = await counts();
      for (const [what, headers, query, input] of cases()) {
        const foreign = await gql(headers, query, input);
        expect(codes(foreign), what).toEqual(['NOT_FOUND']);
        expect(foreign.data ?? null).toBeNull();
        const missingInput = JSON.parse(
          JSON.stringify(input)
            .replaceAll(gid('SocialPrescription', ids.norwestOpenRx), gid('SocialPrescription', missingRx))
            .replaceAll(gid('PrescriptionItem', ids.norwestItem), gid('PrescriptionItem', missingRx))
            .replaceAll(gid('Client', ids.norwestClient), gid('Client', missingRx)),
        );
        const missing = await gql(headers, query, missingInput);
        expect(
          foreign.errors!.map((e) => e.message),
          what,
        ).toEqual(missing.errors!.map((e) => e.message));
      }
      expect(await counts()).toEqual(before);
      expect(await owner().socialPrescription.findUniqueOrThrow({ where: { id: ids.norwestOpenRx } })).toEqual(norwestBefore.rx);
      expect(await owner().prescriptionItem.findUniqueOrThrow({ where: { id: ids.norwestItem } })).toEqual(norwestBefore.item);
      expect(await owner().client.findUniqueOrThrow({ where: { id: ids.norwestClient } })).toEqual(norwestBefore.client);
    });

    it('an item of another site is not readable through node(id:)', async () => {
      const result = await graphql(server, 'query($id: ID!) { node(id: $id) { id } }', { id: gid('PrescriptionItem', ids.norwestItem) }, linkWorker);
      expect(result.data.node).toBeNull();
    });
  });

  describe('roles', () => {
    const all = async (): Promise<[string, string, Record<string, unknown>][]> => {
      const id = await newReferral();
      const item = await gql(linkWorker, mutations.addItem, { prescriptionId: id, programId: gid('Program', ids.guelphProgram) });
      return [
        ['transitionSocialPrescription', mutations.transition, { id, to: 'CANCELLED', reasonCode: 'OTHER' }],
        ['recordPrescriptionAction', mutations.action, { prescriptionId: id, action: 'FOLLOW_UP' }],
        ['assignLinkWorker', mutations.assign, { prescriptionId: id, linkWorkerId: gid('StaffMember', ids.guelphLinkWorker) }],
        ['addPrescriptionItem', mutations.addItem, { prescriptionId: id, assetId: gid('CommunityAsset', ids.guelphAsset) }],
        ['updatePrescriptionItemStatus', mutations.itemStatus, { ...(await versioned(server, item.data.addPrescriptionItem.id)).input, status: 'ENROLLED' }],
        ['updateSocialPrescription', mutations.update, { id, expectedVersion: 1, notes: 'x' }],
        ['updateClient', mutations.updateClient, { id: gid('Client', ids.guelphClient), expectedVersion: 1, givenName: 'X' }],
      ];
    };

    it.each([
      ['HEALTH_CHAMPION', () => staff('guelph', 'HEALTH_CHAMPION')],
      ['PROGRAM_COORDINATOR', () => staff('guelph', 'PROGRAM_COORDINATOR')],
      ['SITE_ADMIN', () => staff('guelph', 'SITE_ADMIN')],
      ['PRIVACY_OFFICER', () => staff('guelph', 'PRIVACY_OFFICER')],
      ['ALLIANCE_ANALYST', () => network('ALLIANCE_ANALYST')],
      ['ALLIANCE_ADMIN', () => network('ALLIANCE_ADMIN')],
      ['a partner with every scope', () => partner('teamcare', 'referrals:create referrals:read programs:read')],
    ])('%s may run none of the pathway mutations', async (_who, headers) => {
      const operations = await all();
      const before = await counts();
      for (const [name, query, input] of operations) expect(codes(await gql(await headers(), query, input)), name).toEqual(['FORBIDDEN']);
      expect(await counts()).toEqual(before);
    });

    it('a data coordinator may edit clients, not run the pathway', async () => {
      const dataCoordinator = await staff('guelph', 'DATA_COORDINATOR');
      for (const [name, query, input] of (await all()).filter(([name]) => name !== 'updateClient')) {
        expect(codes(await gql(dataCoordinator, query, input)), name).toEqual(['FORBIDDEN']);
      }
    });

    it('site staff cannot use the partner cancellation', async () => {
      const id = await newReferral();
      expect(codes(await gql(bothSides, mutations.cancel, { referralId: gid('PartnerReferral', rawId(id)), reasonCode: 'OTHER' }))).toEqual(['FORBIDDEN']);
    });
  });

  describe('partners', () => {
    let references = 0;
    /** A fresh referral: a new reference each time, or submitReferral would return the one already made. */
    const referral = () => ({
      externalReference: `pathway-${process.pid}-${++references}`,
      site: 'norwest',
      client: { givenName: 'Pat', familyName: 'Partner', phone: '555-0100' },
      needs: ['SOCIAL_ISOLATION'],
    });

    it('a partner with referrals:create cancels its own open referral, once', async () => {
      const teamcare = await partner('teamcare', 'referrals:create');
      const submitted = await gql(teamcare, mutations.submit, referral());
      expect(submitted.errors).toBeUndefined();
      const referralId = submitted.data.submitReferral.id;
      const cancelled = await gql(teamcare, mutations.cancel, { referralId, reasonCode: 'REFERRED_ELSEWHERE', reason: 'Client found another service.' });
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data.cancelReferral).toMatchObject({ id: referralId, status: 'CANCELLED' });
      const after = await state(rawId(referralId));
      expect(after.row).toMatchObject({
        status: 'CANCELLED',
        statusReasonCode: 'REFERRED_ELSEWHERE',
        statusReason: 'Client found another service.',
        version: 2,
      });
      expect(after.row.closedAt!.toISOString()).toBe(cancelled.data.cancelReferral.closedAt);
      expect(after.events.map((e) => [e.kind, e.fromStatus, e.toStatus, e.actorKind, e.actorSubject, e.actorStaffId, e.note])).toEqual([
        ['CREATED', null, 'REQUESTED', 'PARTNER', 'teamcare.integration', null, null],
        ['STATUS_CHANGED', 'REQUESTED', 'CANCELLED', 'PARTNER', 'teamcare.integration', null, 'Client found another service.'],
      ]);

      const again = await gql(teamcare, mutations.cancel, { referralId, reasonCode: 'OTHER' });
      expect(codes(again)).toEqual(['INVALID_TRANSITION']);
      expect((await state(rawId(referralId))).events).toHaveLength(2);
    });

    it('cannot cancel once the link worker has closed it, and sees nothing more of it than before', async () => {
      const teamcare = await partner('teamcare', 'referrals:create');
      const referralId = (await gql(teamcare, mutations.submit, referral())).data.submitReferral.id;
      const norwestLinkWorker = await staff('norwest', 'LINK_WORKER');
      const rxId = gid('SocialPrescription', rawId(referralId));
      expect(
        (await gql(norwestLinkWorker, mutations.transition, { id: rxId, to: 'REJECTED', reasonCode: 'NOT_ELIGIBLE', reason: 'Outside the catchment.' })).errors,
      ).toBeUndefined();
      const refused = await gql(teamcare, mutations.cancel, { referralId, reasonCode: 'OTHER' });
      expect(codes(refused)).toEqual(['INVALID_TRANSITION']);
      // Without referrals:read the partner still reads nothing of its referrals.
      expect(codes(await graphql(server, '{ partnerReferrals(first: 5) { edges { node { status } } } }', {}, teamcare))).toEqual(['FORBIDDEN']);
      const lookUp = 'query($id: ID!) { node(id: $id) { ... on PartnerReferral { status } } }';
      const node = await graphql(server, lookUp, { id: referralId }, teamcare);
      expect(codes(node).filter((code) => code !== 'FORBIDDEN')).toEqual([]);
      expect(node.data.node).toBeNull();
      expect((await graphql(server, lookUp, { id: referralId }, await partner('teamcare', 'referrals:read'))).data.node).toEqual({ status: 'REJECTED' });
    });

    it('another partner’s referral and a site’s own referral read as not found', async () => {
      const teamcare = await partner('teamcare', 'referrals:create referrals:read');
      const teamcareReferral = (await gql(teamcare, mutations.submit, referral())).data.submitReferral.id;
      const siteReferral = gid('PartnerReferral', rawId(await newReferral()));
      const before = await counts();
      for (const [who, headers, referralId] of [
        ['rom on a TeamCare referral', await partner('rom', 'referrals:create'), teamcareReferral],
        ['TeamCare on a site referral', teamcare, siteReferral],
        ['TeamCare on another site’s prescription', teamcare, gid('PartnerReferral', ids.norwestOpenRx)],
      ] as const) {
        expect(codes(await gql(headers, mutations.cancel, { referralId, reasonCode: 'OTHER' })), who).toEqual(['NOT_FOUND']);
      }
      expect(codes(await gql(teamcare, mutations.cancel, { referralId: gid('SocialPrescription', rawId(teamcareReferral)), reasonCode: 'OTHER' }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(codes(await gql(await partner('teamcare', 'referrals:read'), mutations.cancel, { referralId: teamcareReferral, reasonCode: 'OTHER' }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(await counts()).toEqual(before);
      expect((await state(rawId(teamcareReferral))).row.status).toBe('REQUESTED');
    });

    it('the site’s prescriber may cancel a partner referral (referring side), its link worker may accept it', async () => {
      const teamcare = await partner('teamcare', 'referrals:create referrals:read');
      const first = rawId((await gql(teamcare, mutations.submit, referral())).data.submitReferral.id);
      const second = rawId((await gql(teamcare, mutations.submit, referral())).data.submitReferral.id);
      const cancelled = await gql(await staff('norwest', 'PRESCRIBER'), mutations.transition, {
        id: gid('SocialPrescription', first),
        to: 'CANCELLED',
        reasonCode: 'DUPLICATE',
      });
      expect(cancelled.data.transitionSocialPrescription.status).toBe('CANCELLED');
      const accepted = await gql(await staff('norwest', 'LINK_WORKER'), mutations.transition, { id: gid('SocialPrescription', second), to: 'ACCEPTED' });
      expect(accepted.data.transitionSocialPrescription.status).toBe('ACCEPTED');
      const followed = await graphql(
        server,
        'query($id: ID!) { node(id: $id) { ... on PartnerReferral { status statusHistory { fromStatus toStatus } } } }',
        { id: gid('PartnerReferral', second) },
        teamcare,
      );
      expect(followed.data.node).toEqual({
        status: 'ACCEPTED',
        statusHistory: [
          { fromStatus: null, toStatus: 'REQUESTED' },
          { fromStatus: 'REQUESTED', toStatus: 'ACCEPTED' },
        ],
      });
    });
  });

  describe('partner cancellation in the database itself', () => {
    const teamcareCreateOnly: Principal = { kind: 'PARTNER', subject: 'teamcare.integration', partnerId: 'teamcare', scopes: ['referrals:create'] };
    /** Raw SQL inside a request transaction as the principal, rolled back afterwards. */
    async function asPrincipal<T>(principal: Principal, work: (tx: RequestDb) => Promise<T>): Promise<T> {
      const [sql, ...params] = principalSettingsSql(principal);
      const scope = await openRequestScope(owner(), (tx) => tx.$executeRawUnsafe(sql, ...params).then(() => {}), { maxWaitMs: 10_000, timeoutMs: 30_000 });
      try {
        return await work(scope.db);
      } finally {
        await scope.finish(false).catch(() => {});
      }
    }
    const cancelling = (tx: RequestDb) => tx.$executeRawUnsafe("SELECT set_config('app.partner_cancel', 'on', true)");
    const visible = (tx: RequestDb) =>
      tx.$queryRawUnsafe<{ id: string; source: string; referringPartnerId: string }[]>('SELECT id, source, "referringPartnerId" FROM "SocialPrescription"');
    const setStatus = (tx: RequestDb, id: string, status: string) =>
      tx.$executeRawUnsafe(`UPDATE "SocialPrescription" SET status = '${status}' WHERE id = $1`, id);

    it('a create-only partner sees and changes nothing unless cancelling, and then only its own referrals, only to CANCELLED', async () => {
      const referralId = rawId(
        (
          await gql(await partner('teamcare', 'referrals:create'), mutations.submit, {
            externalReference: `db-check-${process.pid}`,
            site: 'norwest',
            client: { givenName: 'Db', familyName: 'Check' },
            needs: ['FOOD'],
          })
        ).data.submitReferral.id,
      );
      await asPrincipal(teamcareCreateOnly, async (tx) => {
        expect(await visible(tx)).toEqual([]);
        expect(await setStatus(tx, referralId, 'CANCELLED')).toBe(0);
      });
      await asPrincipal(teamcareCreateOnly, async (tx) => {
        await cancelling(tx);
        const rows = await visible(tx);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.source === 'PARTNER' && r.referringPartnerId === 'teamcare')).toBe(true);
        expect(await setStatus(tx, ids.norwestOpenRx, 'CANCELLED')).toBe(0);
        await expect(setStatus(tx, referralId, 'ACCEPTED')).rejects.toThrow(/row-level security/i);
      });
      await asPrincipal(teamcareCreateOnly, async (tx) => {
        await cancelling(tx);
        expect(await setStatus(tx, referralId, 'CANCELLED')).toBe(1);
        const event = (kind: string, to: string) =>
          tx.$executeRawUnsafe(
            `INSERT INTO "PrescriptionEvent" (id, "tenantId", "prescriptionId", kind, "toStatus", "actorSubject", "actorKind") VALUES (gen_random_uuid()::text, 'norwest', $1, '${kind}', '${to}', 'x', 'PARTNER')`,
            referralId,
          );
        await expect(event('STATUS_CHANGED', 'COMPLETED')).rejects.toThrow(/row-level security/i);
      });
      await asPrincipal({ ...teamcareCreateOnly, partnerId: 'rom' }, async (tx) => {
        await cancelling(tx);
        expect(await setStatus(tx, referralId, 'CANCELLED')).toBe(0);
      });
      expect((await state(referralId)).row.status).toBe('REQUESTED');
    });
  });

  describe('filters and ordering', () => {
    const listQuery = `query($after: String, $status: [ReferralStatus!], $supportLevel: SupportLevel, $need: Need, $prescriberId: ID, $linkWorkerId: ID, $source: ReferralSource, $referredFrom: DateTime, $referredTo: DateTime, $orderBy: SocialPrescriptionOrder) {
      socialPrescriptions(first: 100, after: $after, status: $status, supportLevel: $supportLevel, need: $need, prescriberId: $prescriberId, linkWorkerId: $linkWorkerId, source: $source, referredFrom: $referredFrom, referredTo: $referredTo, orderBy: $orderBy) {
        pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    const listAll = async (headers: Headers, query: string, field: string, variables: Record<string, unknown>) => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const result: Result = await graphql(server, query, { ...variables, after }, headers);
        expect(result.errors).toBeUndefined();
        const page = result.data[field];
        seen.push(...page.edges.map((e: { node: { id: string } }) => rawId(e.node.id)));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      return seen;
    };
    const prescriptions = (variables: Record<string, unknown>) => listAll(linkWorker, listQuery, 'socialPrescriptions', variables);

    it.each([
      ['status', { status: ['COMPLETED', 'FAILED'] }, { status: { in: ['COMPLETED', 'FAILED'] } }],
      ['support level', { supportLevel: 'HOLISTIC' }, { supportLevel: 'HOLISTIC' }],
      ['need', { need: 'FOOD' }, { needs: { has: 'FOOD' } }],
      ['source', { source: 'SITE' }, { source: 'SITE' }],
      [
        'referral window',
        { referredFrom: '2019-06-01T00:00:00Z', referredTo: '2019-09-01T00:00:00Z' },
        { referredAt: { gte: new Date('2019-06-01T00:00:00Z'), lt: new Date('2019-09-01T00:00:00Z') } },
      ],
    ] as const)('by %s: exactly the site’s matching rows, newest first', async (_what, variables, where) => {
      const expected = await owner().socialPrescription.findMany({
        where: { tenantId: 'guelph', ...(where as object) },
        orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
        select: { id: true },
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(await prescriptions(variables)).toEqual(expected.map((r) => r.id));
    });

    it('by prescriber and link worker: own staff match, another site’s staff match nothing', async () => {
      const byPrescriber = await owner().socialPrescription.findMany({
        where: { tenantId: 'guelph', prescriberId: ids.guelphPrescriber },
        orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
        select: { id: true },
      });
      expect(byPrescriber.length).toBeGreaterThan(0);
      expect(await prescriptions({ prescriberId: gid('StaffMember', ids.guelphPrescriber) })).toEqual(byPrescriber.map((r) => r.id));
      const byLinkWorker = await owner().socialPrescription.findMany({
        where: { tenantId: 'guelph', linkWorkerId: ids.guelphLinkWorker },
        orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
        select: { id: true },
      });
      expect(await prescriptions({ linkWorkerId: gid('StaffMember', ids.guelphLinkWorker) })).toEqual(byLinkWorker.map((r) => r.id));
      expect(await prescriptions({ prescriberId: gid('StaffMember', ids.norwestPrescriber) })).toEqual([]);
      expect(await prescriptions({ linkWorkerId: gid('StaffMember', ids.norwestLinkWorker) })).toEqual([]);
      const partnerReferrals = await owner().socialPrescription.count({ where: { tenantId: 'norwest', source: 'PARTNER' } });
      expect(partnerReferrals).toBeGreaterThan(0);
      expect(await prescriptions({ source: 'PARTNER' })).toEqual([]); // Guelph has none; Norwest’s stay Norwest’s
      const bad = await graphql(server, listQuery, { prescriberId: 'nonsense' }, linkWorker);
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    });

    it.each([
      ['REFERRED_AT', 'ASC', 'referredAt', 'asc'],
      ['UPDATED_AT', 'DESC', 'updatedAt', 'desc'],
      ['STATUS', 'ASC', 'status', 'asc'],
      ['STATUS', 'DESC', 'status', 'desc'],
    ] as const)('ordered by %s %s, page after page', async (field, direction, column, dir) => {
      const expected = await owner().socialPrescription.findMany({
        where: { tenantId: 'guelph' },
        orderBy: [{ [column]: dir }, { id: dir }],
        select: { id: true },
      });
      expect(await prescriptions({ orderBy: { field, direction } })).toEqual(expected.map((r) => r.id));
    });

    it.each([
      ['NAME', 'DESC', [{ familyName: 'desc' }, { givenName: 'desc' }, { id: 'desc' }]],
      ['CHART_NUMBER', 'ASC', [{ chartNumber: 'asc' }, { id: 'asc' }]],
      ['CREATED_AT', 'DESC', [{ createdAt: 'desc' }, { id: 'desc' }]],
    ] as const)('clients ordered by %s %s, own site only', async (field, direction, orderBy) => {
      const query =
        'query($after: String, $orderBy: ClientOrder, $search: String) { clients(first: 100, after: $after, orderBy: $orderBy, search: $search) { pageInfo { hasNextPage endCursor } edges { node { id } } } }';
      const expected = await owner().client.findMany({ where: { tenantId: 'guelph' }, orderBy: orderBy as never, select: { id: true } });
      expect(await listAll(linkWorker, query, 'clients', { orderBy: { field, direction } })).toEqual(expected.map((c) => c.id));
      const norwest = await owner().client.findUniqueOrThrow({ where: { id: ids.norwestClient } });
      const search = { orderBy: { field, direction }, search: norwest.familyName };
      expect(await listAll(linkWorker, query, 'clients', search)).not.toContain(norwest.id);
      expect(await listAll(await staff('norwest', 'LINK_WORKER'), query, 'clients', search)).toContain(norwest.id);
    });
  });

  describe('history', () => {
    it('is only ever added to: every event there at the start is still there, unchanged', async () => {
      // Changes of its own to a seeded referral with a history, so the check holds meaning in any order and when run alone.
      const seeded = await owner().socialPrescription.findFirstOrThrow({ where: { tenantId: 'guelph', status: 'IN_PROGRESS' }, orderBy: { id: 'asc' } });
      const id = gid('SocialPrescription', seeded.id);
      expect((await gql(linkWorker, mutations.action, { prescriptionId: id, action: 'FOLLOW_UP', note: 'Checked in.' })).errors).toBeUndefined();
      expect((await gql(linkWorker, mutations.transition, { id, to: 'ON_HOLD', note: 'Away for a month.' })).errors).toBeUndefined();
      expect((await gql(linkWorker, mutations.transition, { id, to: 'IN_PROGRESS' })).errors).toBeUndefined();
      const now = new Map((await owner().prescriptionEvent.findMany()).map((e) => [e.id, JSON.stringify(e)]));
      expect(now.size).toBeGreaterThan(eventsAtStart.size);
      for (const [id, event] of eventsAtStart) expect(now.get(id)).toBe(event);
    });
  });
});
