// What may come next: a prescription item's own small state machine (forward only), and a
// referral's allowedTransitions for the caller, derived from the referral state machine. Every
// move the list offers succeeds, every move it leaves out is refused; another site sees nothing.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrescriptionItemStatus, ReferralStatus } from '../src/generated/prisma/enums.js';
import { allowedItemMoves, itemTransitionProblem } from '../src/prescriptions/prescription-items.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { staff } from './support/tokens.js';
import { versioned } from './support/versions.js';

type Headers = Record<string, string>;
const gid = encodeGlobalID;
const itemStatuses: PrescriptionItemStatus[] = ['SUGGESTED', 'ENROLLED', 'ATTENDED', 'STOPPED'];
// Written out independently of the table in the code.
const forward = new Set(['SUGGESTED→ENROLLED', 'SUGGESTED→ATTENDED', 'SUGGESTED→STOPPED', 'ENROLLED→ATTENDED', 'ENROLLED→STOPPED']);

const create =
  'mutation($input: CreateSocialPrescriptionInput!) { createSocialPrescription(input: $input) { id status allowedTransitions items { id status } } }';
const itemStatus = 'mutation($input: UpdatePrescriptionItemStatusInput!) { updatePrescriptionItemStatus(input: $input) { id status version } }';
const transition = 'mutation($input: TransitionSocialPrescriptionInput!) { transitionSocialPrescription(input: $input) { id status allowedTransitions } }';
const allowed = 'query($id: ID!) { node(id: $id) { ... on SocialPrescription { status allowedTransitions } } }';

describe('item status machine (unit)', () => {
  it.each(itemStatuses.flatMap((from) => itemStatuses.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    const problem = itemTransitionProblem(from, to);
    if (forward.has(`${from}→${to}`)) expect(problem).toBeNull();
    else expect(problem).toMatch(new RegExp(`^An item that is ${from} cannot become ${to}; `));
  });

  it('ATTENDED and STOPPED are final; nothing moves back to SUGGESTED', () => {
    expect(allowedItemMoves.ATTENDED).toEqual([]);
    expect(allowedItemMoves.STOPPED).toEqual([]);
    expect(itemTransitionProblem('ATTENDED', 'SUGGESTED')).toBe('An item that is ATTENDED cannot become SUGGESTED; it is final');
    for (const from of itemStatuses) expect(allowedItemMoves[from]).not.toContain('SUGGESTED');
  });
});

describe('over HTTP', () => {
  let server: TestServer;
  let prescriber: Headers;
  let linkWorker: Headers;
  let clientId: string;
  let programId: string;

  const owner = () => server.db.prisma;
  const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
  /** A fresh REQUESTED referral at Guelph with one suggested program. */
  const newReferral = async () => {
    const result = await graphql(
      server,
      create,
      { input: { clientId: gid('Client', clientId), needs: ['SOCIAL_ISOLATION'], supportLevel: 'LIGHT', programIds: [gid('Program', programId)] } },
      prescriber,
    );
    expect(result.errors).toBeUndefined();
    return result.data.createSocialPrescription as { id: string; status: ReferralStatus; allowedTransitions: ReferralStatus[]; items: { id: string }[] };
  };
  const moveItem = async (headers: Headers, id: string, status: PrescriptionItemStatus) =>
    graphql(server, itemStatus, await versioned(server, id, { status }), headers);
  const move = async (headers: Headers, id: string, to: ReferralStatus, extra: Record<string, unknown> = {}) =>
    graphql(server, transition, { input: { id, to, ...extra } }, headers);

  beforeAll(async () => {
    server = await startTestServer();
    prescriber = await staff('guelph', 'PRESCRIBER');
    linkWorker = await staff('guelph', 'LINK_WORKER');
    clientId = (await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' }, orderBy: { id: 'asc' } })).id;
    programId = (await owner().program.findFirstOrThrow({ where: { tenantId: 'guelph', active: true }, orderBy: { id: 'asc' } })).id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('prescription item status', () => {
    it('moves forward, SUGGESTED → ENROLLED → ATTENDED, each kept in the history', async () => {
      const referral = await newReferral();
      const itemId = referral.items[0]!.id;
      for (const status of ['ENROLLED', 'ATTENDED'] as const) {
        const moved = await moveItem(linkWorker, itemId, status);
        expect(moved.errors).toBeUndefined();
        expect(moved.data.updatePrescriptionItemStatus.status).toBe(status);
      }
      const history = await owner().prescriptionEvent.findMany({
        where: { prescriptionId: rawId(referral.id), kind: 'ITEM_STATUS_CHANGED' },
        orderBy: { occurredAt: 'asc' },
      });
      expect(history.map((e) => `${e.fromItemStatus}→${e.toItemStatus}`)).toEqual(['SUGGESTED→ENROLLED', 'ENROLLED→ATTENDED']);
    });

    it.each([
      ['ATTENDED', 'SUGGESTED', ['ENROLLED', 'ATTENDED']],
      ['ATTENDED', 'ENROLLED', ['ENROLLED', 'ATTENDED']],
      ['ATTENDED', 'STOPPED', ['ATTENDED']],
      ['STOPPED', 'ENROLLED', ['STOPPED']],
      ['ENROLLED', 'SUGGESTED', ['ENROLLED']],
      ['ENROLLED', 'ENROLLED', ['ENROLLED']],
    ] as const)('refuses %s → %s with INVALID_TRANSITION saying why, and changes nothing', async (from, to, path) => {
      const referral = await newReferral();
      const itemId = referral.items[0]!.id;
      for (const step of path) expect((await moveItem(linkWorker, itemId, step)).errors).toBeUndefined();
      const before = await owner().prescriptionItem.findUniqueOrThrow({ where: { id: rawId(itemId) } });
      expect(before.status).toBe(from);
      const events = await owner().prescriptionEvent.count({ where: { prescriptionId: rawId(referral.id) } });
      const refused = await moveItem(linkWorker, itemId, to);
      expect(codes(refused)).toEqual(['INVALID_TRANSITION']);
      expect(refused.errors![0]!.message).toContain(`An item that is ${from} cannot become ${to}`);
      expect(await owner().prescriptionItem.findUniqueOrThrow({ where: { id: rawId(itemId) } })).toEqual(before);
      expect(await owner().prescriptionEvent.count({ where: { prescriptionId: rawId(referral.id) } })).toBe(events);
    });

    it('a prescriber may not move items; another site’s link worker finds no item', async () => {
      const referral = await newReferral();
      const itemId = referral.items[0]!.id;
      expect(codes(await moveItem(prescriber, itemId, 'ENROLLED'))).toEqual(['FORBIDDEN']);
      expect(codes(await moveItem(await staff('norwest', 'LINK_WORKER'), itemId, 'ENROLLED'))).toEqual(['NOT_FOUND']);
      // Positive control: the site's link worker may.
      expect((await moveItem(linkWorker, itemId, 'ENROLLED')).data.updatePrescriptionItemStatus.status).toBe('ENROLLED');
    });
  });

  describe('allowedTransitions', () => {
    it.each([
      ['PRESCRIBER', ['CANCELLED', 'ENTERED_IN_ERROR']],
      ['LINK_WORKER', ['ACCEPTED', 'REJECTED']],
      ['PRESCRIBER+LINK_WORKER', ['ACCEPTED', 'REJECTED', 'CANCELLED', 'ENTERED_IN_ERROR']],
      ['DATA_COORDINATOR', []],
      ['PRIVACY_OFFICER', []],
    ])('of a REQUESTED referral for a %s: %j', async (roles, expected) => {
      const referral = await newReferral();
      const result = await graphql(server, allowed, { id: referral.id }, await staff('guelph', ...roles.split('+')));
      expect(result.errors).toBeUndefined();
      expect(result.data.node).toEqual({ status: 'REQUESTED', allowedTransitions: expected });
    });

    it('every move offered succeeds, and one not offered is refused', async () => {
      const referral = await newReferral();
      expect(referral.allowedTransitions).toEqual(['CANCELLED', 'ENTERED_IN_ERROR']);
      // The prescriber may not accept: not offered, and refused.
      expect(codes(await move(prescriber, referral.id, 'ACCEPTED'))).toEqual(['INVALID_TRANSITION']);
      const accepted = await move(linkWorker, referral.id, 'ACCEPTED');
      expect(accepted.data.transitionSocialPrescription.allowedTransitions).toEqual(['IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'FAILED']);
      for (const to of accepted.data.transitionSocialPrescription.allowedTransitions as ReferralStatus[]) {
        const fresh = await newReferral();
        expect((await move(linkWorker, fresh.id, 'ACCEPTED')).errors).toBeUndefined();
        const ending: Partial<Record<ReferralStatus, Record<string, unknown>>> = {
          COMPLETED: { outcome: 'GOT_HELP' },
          FAILED: { outcome: 'COULD_NOT_CONTACT', reasonCode: 'UNABLE_TO_CONTACT' },
        };
        const moved = await move(linkWorker, fresh.id, to, ending[to]);
        expect(moved.errors, to).toBeUndefined();
      }
      const completed = await move(linkWorker, referral.id, 'COMPLETED', { outcome: 'GOT_HELP' });
      expect(completed.data.transitionSocialPrescription.allowedTransitions).toEqual([]);
      const byPrescriber = await graphql(server, allowed, { id: referral.id }, prescriber);
      expect(byPrescriber.data.node.allowedTransitions).toEqual(['ENTERED_IN_ERROR']);
      expect(codes(await move(linkWorker, referral.id, 'IN_PROGRESS'))).toEqual(['INVALID_TRANSITION']);
    });

    it('another site’s staff read the referral as null; its own site reads it (positive control)', async () => {
      const referral = await newReferral();
      const other = await graphql(server, allowed, { id: referral.id }, await staff('norwest', 'LINK_WORKER'));
      expect(other.errors).toBeUndefined();
      expect(other.data.node).toBeNull();
      const own = await graphql(server, allowed, { id: referral.id }, linkWorker);
      expect(own.data.node.allowedTransitions).toEqual(['ACCEPTED', 'REJECTED']);
    });
  });
});
