// Staff provisioning (issue 12): staff records tied to the token's subject, made at the first
// request from the token's claims unless the site requires provisioning, kept by the site's
// administrator; a deactivated member's tokens are refused; "mine" filters and caseload counts.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTenants } from '../src/tenants/tenant-files.js';
import { gql } from './support/graphql.js';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { bearer, network, partner, staff } from './support/tokens.js';

const me = gql(`
  query Me {
    viewer {
      kind
      subject
      staffMember { id displayName roles prescriberKind active version }
    }
  }
`);

const create = gql(`
  mutation CreateStaff($input: CreateStaffMemberInput!) {
    createStaffMember(input: $input) { id displayName roles prescriberKind active version subject email }
  }
`);

const update = gql(`
  mutation UpdateStaff($input: UpdateStaffMemberInput!) {
    updateStaffMember(input: $input) { id displayName roles prescriberKind version }
  }
`);

const deactivate = gql(`mutation Deactivate($id: ID!) { deactivateStaffMember(id: $id) { id active version } }`);
const reactivate = gql(`mutation Reactivate($id: ID!) { reactivateStaffMember(id: $id) { id active version } }`);

const subjectOf = gql(`
  query SubjectOf($id: ID!) {
    node(id: $id) { __typename ... on StaffMember { id subject email } }
  }
`);

const mine = gql(`
  query Mine($assignedToMe: Boolean, $prescribedByMe: Boolean) {
    socialPrescriptions(first: 100, assignedToMe: $assignedToMe, prescribedByMe: $prescribedByMe) {
      edges { node { id linkWorker { id } prescriber { id } } }
    }
  }
`);

const caseload = gql(`query Caseload { viewer { staffMember { caseload { status count } } } }`);
const caseloads = gql(`query Caseloads { staffMembers(role: LINK_WORKER, first: 50) { edges { node { id caseload { status count } } } } }`);

const createPrescription = gql(`
  mutation Prescribe($input: CreateSocialPrescriptionInput!) {
    createSocialPrescription(input: $input) { id version prescriber { id } linkWorker { id } }
  }
`);
const assign = gql(`
  mutation Assign($input: AssignLinkWorkerInput!) {
    assignLinkWorker(input: $input) { id linkWorker { id displayName } }
  }
`);

const staffToken = (tenant: string, roles: string[], claims: { subject?: string; name?: string; email?: string } = {}) =>
  bearer({ tenant, roles, subject: claims.subject ?? `${tenant}.idp.${randomUUID()}`, ...claims });

describe('staff provisioning', () => {
  let server: TestServer;
  const owner = () => server.db.prisma;
  const gid = (id: string) => encodeGlobalID('StaffMember', id);
  const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('just in time, from the token', () => {
    it('makes a staff record at the first request, from the name and email claims and the roles', async () => {
      const subject = `guelph.idp.${randomUUID()}`;
      const headers = await staffToken('guelph', ['LINK_WORKER'], { subject, name: 'Ada  Lovelace', email: 'ada@example.org' });
      expect(await owner().staffMember.count({ where: { subject } })).toBe(0);

      const first = await graphql(server, me, {}, headers);
      expect(first.errors).toBeUndefined();
      expect(first.data?.viewer.staffMember).toMatchObject({ displayName: 'Ada Lovelace', roles: ['LINK_WORKER'], active: true, prescriberKind: null });
      const stored = await owner().staffMember.findFirstOrThrow({ where: { subject } });
      expect(stored).toMatchObject({ tenantId: 'guelph', email: 'ada@example.org', displayName: 'Ada Lovelace' });
      expect(first.data?.viewer.staffMember?.id).toBe(gid(stored.id));

      // The next request finds it: one record per subject and site.
      const again = await graphql(server, me, {}, headers);
      expect(again.data?.viewer.staffMember?.id).toBe(gid(stored.id));
      expect(await owner().staffMember.count({ where: { subject } })).toBe(1);
    });

    it('names the record after the subject without a name claim, and leaves out claims it cannot store', async () => {
      const subject = `guelph.idp.${randomUUID()}`;
      const bare = await graphql(server, me, {}, await staffToken('guelph', ['PROGRAM_COORDINATOR'], { subject }));
      expect(bare.data?.viewer.staffMember).toMatchObject({ displayName: subject, roles: ['PROGRAM_COORDINATOR'] });

      const odd = `guelph.idp.${randomUUID()}`;
      const messy = await graphql(
        server,
        me,
        {},
        await staffToken('guelph', ['LINK_WORKER'], { subject: odd, name: 'Grace\u0000 Hopper\n', email: 'not an email' }),
      );
      expect(messy.errors).toBeUndefined();
      expect(messy.data?.viewer.staffMember?.displayName).toBe('Grace Hopper');
      expect((await owner().staffMember.findFirstOrThrow({ where: { subject: odd } })).email).toBeNull();
    });

    it('gives the same subject a record of its own at each site, and none to Alliance staff or partners', async () => {
      const subject = `shared.idp.${randomUUID()}`;
      const guelph = await graphql(server, me, {}, await staffToken('guelph', ['LINK_WORKER'], { subject }));
      const rexdale = await graphql(server, me, {}, await staffToken('rexdale', ['LINK_WORKER'], { subject }));
      expect(guelph.data?.viewer.staffMember?.id).toBeTruthy();
      expect(rexdale.data?.viewer.staffMember?.id).toBeTruthy();
      expect(rexdale.data?.viewer.staffMember?.id).not.toBe(guelph.data?.viewer.staffMember?.id);
      expect((await owner().staffMember.findMany({ where: { subject }, orderBy: { tenantId: 'asc' } })).map((s) => s.tenantId)).toEqual(['guelph', 'rexdale']);

      for (const headers of [await network('ALLIANCE_ANALYST'), await partner('teamcare', 'referrals:read')]) {
        const answer = await graphql(server, me, {}, headers);
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.viewer.staffMember).toBeNull();
      }
    });

    it('viewer.staffMember is the seeded record for a seeded subject', async () => {
      const seeded = await owner().staffMember.findFirstOrThrow({ where: { tenantId: 'guelph', subject: 'guelph.link_worker.1' } });
      const answer = await graphql(server, me, {}, await staff('guelph', 'LINK_WORKER'));
      expect(answer.data?.viewer).toMatchObject({ subject: 'guelph.link_worker.1', staffMember: { id: gid(seeded.id), displayName: seeded.displayName } });
    });

    it('a new prescriber prescribes under their own record: never a prescription without a prescriber', async () => {
      const headers = await staffToken('guelph', ['PRESCRIBER'], { name: 'Dr. New Prescriber' });
      const client = await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' }, select: { id: true } });
      const made = await graphql(
        server,
        createPrescription,
        { input: { clientId: encodeGlobalID('Client', client.id), needs: ['SOCIAL_ISOLATION'], supportLevel: 'LIGHT' } },
        headers,
      );
      expect(made.errors).toBeUndefined();
      const viewer = await graphql(server, me, {}, headers);
      expect(made.data?.createSocialPrescription.prescriber?.id).toBe(viewer.data?.viewer.staffMember?.id);
      expect(viewer.data?.viewer.staffMember).toMatchObject({ displayName: 'Dr. New Prescriber' });
    });
  });

  describe('kept by the site administrator', () => {
    it('creates a record ahead of the first sign-in, which that sign-in then uses; a new link worker can be assigned at once', async () => {
      const admin = await staff('guelph', 'SITE_ADMIN');
      const subject = `guelph.idp.${randomUUID()}`;
      const made = await graphql(server, create, { input: { subject, displayName: 'Lin Worker', roles: ['LINK_WORKER'], email: 'lin@example.org' } }, admin);
      expect(made.errors).toBeUndefined();
      expect(made.data?.createStaffMember).toMatchObject({
        subject,
        displayName: 'Lin Worker',
        roles: ['LINK_WORKER'],
        active: true,
        version: 1,
        email: 'lin@example.org',
      });
      const id = made.data!.createStaffMember.id;

      // Assigned before ever signing in.
      const prescription = await owner().socialPrescription.findFirstOrThrow({ where: { tenantId: 'guelph', status: 'REQUESTED' }, select: { id: true } });
      const assigned = await graphql(
        server,
        assign,
        { input: { prescriptionId: encodeGlobalID('SocialPrescription', prescription.id), linkWorkerId: id } },
        await staff('guelph', 'LINK_WORKER'),
      );
      expect(assigned.errors).toBeUndefined();
      expect(assigned.data?.assignLinkWorker.linkWorker).toEqual({ id, displayName: 'Lin Worker' });

      // The first sign-in finds the record (the token's name claim does not replace the administrator's).
      const signedIn = await graphql(server, me, {}, await staffToken('guelph', ['LINK_WORKER'], { subject, name: 'Somebody Else' }));
      expect(signedIn.data?.viewer.staffMember).toMatchObject({ id, displayName: 'Lin Worker' });
      expect(await owner().staffMember.count({ where: { subject } })).toBe(1);
    });

    it('refuses a second record for a subject (CONFLICT), a profession for a non-prescriber and no roles (BAD_USER_INPUT)', async () => {
      const admin = await staff('guelph', 'SITE_ADMIN');
      const taken = await graphql(server, create, { input: { subject: 'guelph.link_worker.1', displayName: 'Twin', roles: ['LINK_WORKER'] } }, admin);
      expect(codes(taken)).toEqual(['CONFLICT']);
      const profession = await graphql(
        server,
        create,
        { input: { subject: `guelph.idp.${randomUUID()}`, displayName: 'Not a prescriber', roles: ['LINK_WORKER'], prescriberKind: 'PHYSICIAN' } },
        admin,
      );
      expect(codes(profession)).toEqual(['BAD_USER_INPUT']);
      const noRoles = await graphql(server, create, { input: { subject: `guelph.idp.${randomUUID()}`, displayName: 'Nobody', roles: [] } }, admin);
      expect(codes(noRoles)).toEqual(['BAD_USER_INPUT']);
    });

    it('only the site administrator keeps staff records or reads subjects', async () => {
      const target = await owner().staffMember.findFirstOrThrow({ where: { tenantId: 'guelph', subject: 'guelph.program_coordinator.1' } });
      const id = gid(target.id);
      for (const role of ['LINK_WORKER', 'PRESCRIBER', 'PRIVACY_OFFICER', 'DATA_COORDINATOR', 'PROGRAM_COORDINATOR']) {
        const headers = await staff('guelph', role);
        const made = await graphql(server, create, { input: { subject: `guelph.idp.${randomUUID()}`, displayName: 'X', roles: ['LINK_WORKER'] } }, headers);
        expect(codes(made), role).toEqual(['FORBIDDEN']);
        expect(codes(await graphql(server, update, { input: { id, expectedVersion: target.version, displayName: 'X' } }, headers)), role).toEqual([
          'FORBIDDEN',
        ]);
        expect(codes(await graphql(server, deactivate, { id }, headers)), role).toEqual(['FORBIDDEN']);
        const read = await graphql(server, subjectOf, { id }, headers);
        expect(new Set(codes(read)), role).toEqual(new Set(['FORBIDDEN']));
      }
      for (const headers of [await network('ALLIANCE_ADMIN'), await partner('teamcare', 'referrals:create referrals:read')]) {
        expect(codes(await graphql(server, deactivate, { id }, headers))).toEqual(['FORBIDDEN']);
      }
      // Positive control: the administrator reads the subject; nothing above changed the record.
      const read = await graphql(server, subjectOf, { id }, await staff('guelph', 'SITE_ADMIN'));
      expect(read.errors).toBeUndefined();
      expect(read.data?.node).toMatchObject({ subject: 'guelph.program_coordinator.1', email: target.email });
      expect(await owner().staffMember.findUniqueOrThrow({ where: { id: target.id } })).toEqual(target);
    });

    it('another site’s staff are not found, and their subjects read as null', async () => {
      const other = await owner().staffMember.findFirstOrThrow({ where: { tenantId: 'rexdale', subject: 'rexdale.link_worker.1' } });
      const id = gid(other.id);
      const admin = await staff('guelph', 'SITE_ADMIN');
      expect(codes(await graphql(server, update, { input: { id, expectedVersion: other.version, displayName: 'Taken Over' } }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, deactivate, { id }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await graphql(server, reactivate, { id }, admin))).toEqual(['NOT_FOUND']);
      const read = await graphql(server, subjectOf, { id }, admin);
      expect(read.errors).toBeUndefined();
      expect(read.data?.node).toBeNull();
      expect(await owner().staffMember.findUniqueOrThrow({ where: { id: other.id } })).toEqual(other);
      // Positive control: rexdale's own administrator.
      const own = await graphql(server, subjectOf, { id }, await staff('rexdale', 'SITE_ADMIN'));
      expect(own.data?.node).toMatchObject({ subject: 'rexdale.link_worker.1' });
    });

    it('edits name, profession and roles under optimistic concurrency: a stale version answers CONFLICT and changes nothing', async () => {
      const admin = await staff('guelph', 'SITE_ADMIN');
      const target = await owner().staffMember.findFirstOrThrow({ where: { tenantId: 'guelph', subject: 'guelph.prescriber.2' } });
      const id = gid(target.id);
      for (const stale of [target.version - 1, target.version + 1]) {
        const refused = await graphql(server, update, { input: { id, expectedVersion: stale, displayName: 'Dr. Stale' } }, admin);
        expect(codes(refused)).toEqual(['CONFLICT']);
      }
      expect(await owner().staffMember.findUniqueOrThrow({ where: { id: target.id } })).toEqual(target);

      const saved = await graphql(
        server,
        update,
        { input: { id, expectedVersion: target.version, displayName: 'Dr. Renamed', prescriberKind: 'NURSE' } },
        admin,
      );
      expect(saved.errors).toBeUndefined();
      expect(saved.data?.updateStaffMember).toEqual({
        id,
        displayName: 'Dr. Renamed',
        prescriberKind: 'NURSE',
        roles: ['PRESCRIBER'],
        version: target.version + 1,
      });

      // The profession belongs to prescribers: taking the role away while keeping it is refused.
      const noRole = await graphql(server, update, { input: { id, expectedVersion: target.version + 1, roles: ['LINK_WORKER'] } }, admin);
      expect(codes(noRole)).toEqual(['BAD_USER_INPUT']);
      const both = await graphql(server, update, { input: { id, expectedVersion: target.version + 1, roles: ['LINK_WORKER'], prescriberKind: null } }, admin);
      expect(both.data?.updateStaffMember).toMatchObject({ roles: ['LINK_WORKER'], prescriberKind: null, version: target.version + 2 });
    });
  });

  describe('deactivation', () => {
    it('refuses a deactivated member’s tokens with 401 UNAUTHENTICATED, from the next request on, until reactivated', async () => {
      const admin = await staff('guelph', 'SITE_ADMIN');
      const subject = `guelph.idp.${randomUUID()}`;
      const worker = await staffToken('guelph', ['LINK_WORKER'], { subject });
      const before = await graphql(server, mine, { assignedToMe: true }, worker);
      expect(before.status).toBe(200);
      const record = await owner().staffMember.findFirstOrThrow({ where: { subject } });

      const off = await graphql(server, deactivate, { id: gid(record.id) }, admin);
      expect(off.errors).toBeUndefined();
      expect(off.data?.deactivateStaffMember).toEqual({ id: gid(record.id), active: false, version: record.version + 1 });

      for (const refused of [await graphql(server, me, {}, worker), await graphql(server, mine, {}, worker)]) {
        expect(refused.status).toBe(401);
        expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
        expect(refused.data ?? null).toBeNull();
      }
      // A fresh token of the same subject is refused alike; the record was not made again.
      expect((await graphql(server, me, {}, await staffToken('guelph', ['LINK_WORKER'], { subject }))).status).toBe(401);
      expect(await owner().staffMember.count({ where: { subject } })).toBe(1);
      // The same subject at another site is another person's record there.
      expect((await graphql(server, me, {}, await staffToken('rexdale', ['LINK_WORKER'], { subject }))).status).toBe(200);

      expect(codes(await graphql(server, deactivate, { id: gid(record.id) }, admin))).toEqual(['INVALID_TRANSITION']);
      const on = await graphql(server, reactivate, { id: gid(record.id) }, admin);
      expect(on.data?.reactivateStaffMember).toEqual({ id: gid(record.id), active: true, version: record.version + 2 });
      expect((await graphql(server, me, {}, worker)).status).toBe(200);
      expect(codes(await graphql(server, reactivate, { id: gid(record.id) }, admin))).toEqual(['INVALID_TRANSITION']);
    });

    it('an administrator cannot deactivate their own record', async () => {
      const subject = `guelph.idp.${randomUUID()}`;
      const admin = await staffToken('guelph', ['SITE_ADMIN'], { subject });
      const self = await graphql(server, me, {}, admin);
      const refused = await graphql(server, deactivate, { id: self.data!.viewer.staffMember!.id }, admin);
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      expect((await owner().staffMember.findFirstOrThrow({ where: { subject } })).active).toBe(true);
    });
  });

  describe('a site that requires provisioning (tenant file)', () => {
    let dir: string;
    beforeAll(async () => {
      // The site file says so; syncing the files is what start-up (or a reload) does with them.
      dir = await mkdtemp(path.join(os.tmpdir(), 'rx-tenants-'));
      await cp(path.resolve('tenants'), dir, { recursive: true });
      const file = path.join(dir, 'west-elgin.json');
      await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), requireProvisionedStaff: true }));
      await syncTenants(owner(), dir);
    });
    afterAll(async () => {
      await syncTenants(owner(), path.resolve('tenants'));
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses an unknown subject with 401 and makes no record; accepts one the administrator made', async () => {
      expect((await owner().tenant.findUniqueOrThrow({ where: { id: 'west-elgin' } })).requireProvisionedStaff).toBe(true);
      const subject = `west-elgin.idp.${randomUUID()}`;
      const stranger = await staffToken('west-elgin', ['LINK_WORKER'], { subject, name: 'Not Yet Provisioned' });
      const refused = await graphql(server, me, {}, stranger);
      expect(refused.status).toBe(401);
      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(await owner().staffMember.count({ where: { subject } })).toBe(0);

      // Seeded staff have records; the administrator provisions the newcomer.
      const made = await graphql(
        server,
        create,
        { input: { subject, displayName: 'Now Provisioned', roles: ['LINK_WORKER'] } },
        await staff('west-elgin', 'SITE_ADMIN'),
      );
      expect(made.errors).toBeUndefined();
      const accepted = await graphql(server, me, {}, stranger);
      expect(accepted.status).toBe(200);
      expect(accepted.data?.viewer.staffMember).toMatchObject({ id: made.data!.createStaffMember.id, displayName: 'Now Provisioned' });

      // Positive control: the same kind of newcomer at a just-in-time site is let in.
      expect((await graphql(server, me, {}, await staffToken('guelph', ['LINK_WORKER']))).status).toBe(200);
    });
  });

  describe('mine: assigned to me, prescribed by me, my caseload', () => {
    it('assignedToMe lists the link worker’s referrals, prescribedByMe the prescriber’s', async () => {
      const worker = await owner().staffMember.findFirstOrThrow({ where: { tenantId: 'guelph', subject: 'guelph.link_worker.1' } });
      const assigned = await graphql(server, mine, { assignedToMe: true }, await staff('guelph', 'LINK_WORKER'));
      expect(assigned.errors).toBeUndefined();
      const expected = await owner().socialPrescription.findMany({
        where: { tenantId: 'guelph', linkWorkerId: worker.id },
        orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
        take: 100,
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(assigned.data?.socialPrescriptions.edges.map((e) => rawId(e.node.id))).toEqual(expected.map((p) => p.id));
      expect(assigned.data?.socialPrescriptions.edges.every((e) => e.node.linkWorker?.id === gid(worker.id))).toBe(true);

      const prescriber = await owner().staffMember.findFirstOrThrow({ where: { tenantId: 'guelph', subject: 'guelph.prescriber.1' } });
      const prescribed = await graphql(server, mine, { prescribedByMe: true }, await staff('guelph', 'PRESCRIBER'));
      const byPrescriber = await owner().socialPrescription.findMany({
        where: { tenantId: 'guelph', prescriberId: prescriber.id },
        orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
        take: 100,
      });
      expect(byPrescriber.length).toBeGreaterThan(0);
      expect(prescribed.data?.socialPrescriptions.edges.map((e) => rawId(e.node.id))).toEqual(byPrescriber.map((p) => p.id));

      // Both at once: the intersection; false filters nothing.
      const both = await graphql(server, mine, { assignedToMe: true, prescribedByMe: true }, await staff('guelph', 'LINK_WORKER'));
      expect(both.data?.socialPrescriptions.edges).toEqual([]);
      const all = await graphql(server, mine, { assignedToMe: false }, await staff('guelph', 'LINK_WORKER'));
      expect(all.data?.socialPrescriptions.edges.length).toBe(Math.min(100, await owner().socialPrescription.count({ where: { tenantId: 'guelph' } })));

      // A newcomer follows nothing yet.
      const newcomer = await graphql(server, mine, { assignedToMe: true }, await staffToken('guelph', ['LINK_WORKER']));
      expect(newcomer.data?.socialPrescriptions.edges).toEqual([]);
    });

    it('counts a link worker’s caseload by status, as stored, for every status', async () => {
      const worker = await owner().staffMember.findFirstOrThrow({ where: { tenantId: 'guelph', subject: 'guelph.link_worker.1' } });
      const grouped = await owner().socialPrescription.groupBy({
        by: ['status'],
        where: { tenantId: 'guelph', linkWorkerId: worker.id },
        _count: { _all: true },
      });
      const answer = await graphql(server, caseload, {}, await staff('guelph', 'LINK_WORKER'));
      expect(answer.errors).toBeUndefined();
      const counts = answer.data!.viewer.staffMember!.caseload;
      expect(counts.map((c) => c.status)).toEqual([
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
      ]);
      expect(Object.fromEntries(counts.filter((c) => c.count > 0).map((c) => [c.status, c.count]))).toEqual(
        Object.fromEntries(grouped.map((g) => [g.status, g._count._all])),
      );
    });

    it('every link worker’s caseload in one list for those who read prescriptions; not for other roles', async () => {
      const list = await graphql(server, caseloads, {}, await staff('guelph', 'DATA_COORDINATOR'));
      expect(list.errors).toBeUndefined();
      const workers = await owner().staffMember.findMany({ where: { tenantId: 'guelph', roles: { has: 'LINK_WORKER' } }, select: { id: true } });
      expect(list.data?.staffMembers.edges.length).toBe(workers.length);
      for (const edge of list.data!.staffMembers.edges) {
        const stored = await owner().socialPrescription.count({ where: { tenantId: 'guelph', linkWorkerId: rawId(edge.node.id) } });
        expect(edge.node.caseload.reduce((sum, c) => sum + c.count, 0)).toBe(stored);
      }
      for (const role of ['PROGRAM_COORDINATOR', 'SITE_ADMIN', 'HEALTH_CHAMPION']) {
        expect(codes(await graphql(server, caseloads, {}, await staff('guelph', role))), role).toContain('FORBIDDEN');
      }
    });

    it('another site’s link worker has no caseload here: the node reads as null', async () => {
      const other = await owner().staffMember.findFirstOrThrow({ where: { tenantId: 'rexdale', subject: 'rexdale.link_worker.1' } });
      const query = gql(`query Other($id: ID!) { node(id: $id) { ... on StaffMember { caseload { count } } } }`);
      const answer = await graphql(server, query, { id: gid(other.id) }, await staff('guelph', 'LINK_WORKER'));
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.node).toBeNull();
      const own = await graphql(server, query, { id: gid(other.id) }, await staff('rexdale', 'LINK_WORKER'));
      expect(own.data?.node).not.toBeNull();
    });
  });
});
