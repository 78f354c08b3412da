// Partner submission as an integrator retries it: idempotent under the partner's own reference
// (same id, one client, one event; CONFLICT for other details; concurrent duplicates make one
// referral), client matching at the site (exact match attaches, ambiguity flags, nothing creates),
// mergeClients (histories kept, audited, refused across sites), polling by updatedSince, and the
// coded status reason on both sides.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, graphql, startTestServer, type TestServer } from './support/server.js';
import { gql } from './support/graphql.js';
import { partner, staff } from './support/tokens.js';
import { submissionHash } from '../src/prescriptions/partner-referral.js';
import { decide } from '../src/clients/matching.js';
import { statusReasonCoding, statusReasonFromFhir, statusReasons } from '../src/prescriptions/status-reasons.js';

type Headers = Record<string, string>;
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const gid = encodeGlobalID;

const REFERRAL = 'id externalReference status statusReason { code display } referredAt updatedAt site { slug }';
const SUBMIT = `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { ${REFERRAL} } }`;
const CANCEL = `mutation($input: CancelReferralInput!) { cancelReferral(input: $input) { ${REFERRAL} closedAt } }`;
const TRANSITION =
  'mutation($input: TransitionSocialPrescriptionInput!) { transitionSocialPrescription(input: $input) { id status statusReason { code display system fhirCode } statusReasonText } }';
const CREATE_CLIENT = 'mutation($input: CreateClientInput!) { createClient(input: $input) { id version } }';
const CLIENT =
  'query($id: ID!) { node(id: $id) { ... on Client { id version healthCardNumber needsIdentityReview possibleDuplicateOf { id } mergedInto { id } mergedAt prescriptions(first: 50) { edges { node { id } } } consents { kind status } } } }';
const MERGE = 'mutation($input: MergeClientsInput!) { mergeClients(input: $input) { id version prescriptions(first: 50) { edges { node { id } } } } }';
const POLL =
  'query($since: DateTime, $first: Int, $after: String) { partnerReferrals(updatedSince: $since, first: $first, after: $after) { edges { node { id status updatedAt } } pageInfo { hasNextPage endCursor } } }';

describe('partner submission', () => {
  let server: TestServer;
  let teamcare: Headers;
  let createOnly: Headers;
  let linkWorker: Headers;
  let dataCoordinator: Headers;
  let reference = 0;
  const nextReference = () => `TC-${process.pid}-${Date.now()}-${++reference}`;

  const owner = () => server.db.prisma;
  const counts = async () => ({
    clients: await owner().client.count(),
    prescriptions: await owner().socialPrescription.count(),
    events: await owner().prescriptionEvent.count(),
  });
  const submit = (headers: Headers, input: Record<string, unknown>) => graphql(server, SUBMIT, { input }, headers);
  const person = (overrides: Record<string, unknown> = {}) => ({
    givenName: 'Morgan',
    familyName: `Nobody${reference}`,
    dateOfBirth: '1961-07-14',
    phone: '555-0142',
    ...overrides,
  });
  const referral = (overrides: Record<string, unknown> = {}) => ({
    externalReference: nextReference(),
    site: 'norwest',
    client: person(),
    needs: ['SOCIAL_ISOLATION', 'PHYSICAL_ACTIVITY'],
    reason: 'Lonely since moving.',
    ...overrides,
  });
  const rowOf = (referralGlobalId: string) => owner().socialPrescription.findUniqueOrThrow({ where: { id: rawId(referralGlobalId) } });
  const newClient = async (input: Record<string, unknown>) => {
    const created = await graphql(server, CREATE_CLIENT, { input: { chartNumber: `T-${nextReference()}`, ...input } }, dataCoordinator);
    expect(created.errors).toBeUndefined();
    return created.data.createClient.id as string;
  };
  const client = async (id: string, headers: Headers = linkWorker) => {
    const result = await graphql(server, CLIENT, { id }, headers);
    expect(result.errors).toBeUndefined();
    return result.data.node;
  };

  beforeAll(async () => {
    server = await startTestServer();
    teamcare = await partner('teamcare', 'referrals:create referrals:read');
    createOnly = await partner('teamcare', 'referrals:create');
    linkWorker = await staff('norwest', 'LINK_WORKER');
    dataCoordinator = await staff('norwest', 'DATA_COORDINATOR');
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('idempotent under the partner’s reference', () => {
    it('the same reference again returns the same referral: one client, one referral, one event', async () => {
      const input = referral();
      const before = await counts();
      const first = await submit(teamcare, input);
      expect(first.errors).toBeUndefined();
      expect(first.data.submitReferral).toMatchObject({ externalReference: input.externalReference, status: 'REQUESTED', site: { slug: 'norwest' } });
      const afterFirst = await counts();
      expect(afterFirst).toEqual({ clients: before.clients + 1, prescriptions: before.prescriptions + 1, events: before.events + 1 });

      // The same details, written differently (spacing, order of needs, the default support level): the same submission.
      const again = await submit(teamcare, {
        ...input,
        client: { ...input.client, givenName: '  Morgan ' },
        needs: [...input.needs].reverse(),
        supportLevel: 'MEDIUM',
      });
      expect(again.errors).toBeUndefined();
      expect(again.data.submitReferral).toEqual(first.data.submitReferral);
      expect(await counts()).toEqual(afterFirst);
      const row = await rowOf(first.data.submitReferral.id);
      expect(row).toMatchObject({ referringPartnerId: 'teamcare', externalReference: input.externalReference, source: 'PARTNER' });
      expect(await owner().prescriptionEvent.count({ where: { prescriptionId: row.id } })).toBe(1);
    });

    it('different details under the same reference answer CONFLICT and change nothing; another partner’s same reference is its own', async () => {
      const input = referral();
      const first = await submit(teamcare, input);
      expect(first.errors).toBeUndefined();
      const before = await counts();
      for (const changed of [
        { ...input, reason: 'Another reason.' },
        { ...input, needs: ['FOOD'] },
        { ...input, client: { ...input.client, dateOfBirth: '1961-07-15' } },
        { ...input, client: { ...input.client, healthCardNumber: '9876543210' } },
      ]) {
        expect(codes(await submit(teamcare, changed))).toEqual(['CONFLICT']);
      }
      expect(await counts()).toEqual(before);
      expect((await rowOf(first.data.submitReferral.id)).notes).toBe('Lonely since moving.');
      // A site the partner is not partnered with refuses before anything else.
      expect(codes(await submit(teamcare, { ...input, site: 'guelph' }))).toEqual(['FORBIDDEN']);
    });

    it('concurrent duplicates make one referral, and every caller gets it', async () => {
      const input = referral({ client: person({ familyName: `Racer${reference}` }) });
      const before = await counts();
      const results = await Promise.all(Array.from({ length: 6 }, () => submit(teamcare, input)));
      for (const result of results) expect(result.errors).toBeUndefined();
      const ids = new Set(results.map((r) => r.data.submitReferral.id));
      expect(ids.size).toBe(1);
      expect(await counts()).toEqual({ clients: before.clients + 1, prescriptions: before.prescriptions + 1, events: before.events + 1 });
      expect(await owner().socialPrescription.count({ where: { referringPartnerId: 'teamcare', externalReference: input.externalReference } })).toBe(1);
    });

    it('a partner with referrals:create only gets its submission back, and still reads nothing else of it', async () => {
      const input = referral();
      const created = await submit(createOnly, input);
      expect(created.errors).toBeUndefined();
      expect(created.data.submitReferral).toMatchObject({ status: 'REQUESTED', externalReference: input.externalReference, statusReason: null });
      const again = await submit(createOnly, input);
      expect(again.data.submitReferral.id).toBe(created.data.submitReferral.id);
      const lookUp = 'query($id: ID!) { node(id: $id) { ... on PartnerReferral { status } } }';
      expect((await graphql(server, lookUp, { id: created.data.submitReferral.id }, createOnly)).data.node).toBeNull();
      // positive control: with referrals:read the same lookup answers
      expect((await graphql(server, lookUp, { id: created.data.submitReferral.id }, teamcare)).data.node).toEqual({ status: 'REQUESTED' });
      // outcome and history stay with referrals:read
      const outcome = await graphql(
        server,
        `
          mutation ($input: SubmitReferralInput!) {
            submitReferral(input: $input) {
              id
              outcome
            }
          }
        `,
        { input },
        createOnly,
      );
      expect(codes(outcome)).toEqual(['FORBIDDEN']);
    });

    it('an empty or spaced reference is refused', async () => {
      for (const externalReference of ['', 'has space']) {
        expect(codes(await submit(teamcare, referral({ externalReference })))).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('the hash is over the canonical input', () => {
      const base = {
        externalReference: 'A-1',
        site: 'norwest',
        client: { givenName: 'A', familyName: 'B', dateOfBirth: new Date('1950-01-02T00:00:00Z') },
        needs: ['FOOD', 'HOUSING'] as const,
      };
      const hash = submissionHash({ ...base, needs: [...base.needs] });
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(submissionHash({ ...base, needs: ['HOUSING', 'FOOD', 'FOOD'], supportLevel: 'MEDIUM', reason: null })).toBe(hash);
      expect(submissionHash({ ...base, needs: ['FOOD'] })).not.toBe(hash);
    });
  });

  describe('client matching at the site', () => {
    it('an exact match (name normalized, date of birth, agreeing health card) attaches to the existing client', async () => {
      const suffix = nextReference();
      const existing = await newClient({
        givenName: 'Jean-Pierre',
        familyName: `Côté Lévesque${suffix}`,
        dateOfBirth: '1950-03-04',
        healthCardNumber: '1234-567-890-ab',
      });
      expect((await client(existing)).healthCardNumber).toBe('1234567890AB');
      const before = await counts();
      const submitted = await submit(
        teamcare,
        referral({
          client: { givenName: 'jean pierre', familyName: `COTE-LEVESQUE${suffix}`, dateOfBirth: '1950-03-04', healthCardNumber: '1234 567 890 AB' },
        }),
      );
      expect(submitted.errors).toBeUndefined();
      expect(await counts()).toEqual({ ...before, prescriptions: before.prescriptions + 1, events: before.events + 1 });
      expect((await rowOf(submitted.data.submitReferral.id)).clientId).toBe(rawId(existing));
      const seen = await client(existing);
      expect(seen.needsIdentityReview).toBe(false);
      expect(seen.prescriptions.edges.map((e: { node: { id: string } }) => rawId(e.node.id))).toContain(rawId(submitted.data.submitReferral.id));
      // Comparing used the existing client's identity: audited as the partner's.
      const audit = await owner().auditEvent.findMany({ where: { clientId: rawId(existing), partnerId: 'teamcare' } });
      expect(audit.some((a) => a.action === 'READ' && a.categories.includes('IDENTITY'))).toBe(true);
    });

    it('name and date of birth without a health card on either side match too', async () => {
      const suffix = nextReference();
      const existing = await newClient({ givenName: 'Ana', familyName: `Ng${suffix}`, dateOfBirth: '1940-01-01' });
      const submitted = await submit(teamcare, referral({ client: { givenName: 'ANA', familyName: `ng${suffix}`, dateOfBirth: '1940-01-01' } }));
      expect((await rowOf(submitted.data.submitReferral.id)).clientId).toBe(rawId(existing));
    });

    it('two candidates: a new client flagged for review, possibly either', async () => {
      const family = `Twin${nextReference()}`;
      const first = await newClient({ givenName: 'Sam', familyName: family, dateOfBirth: '1970-05-05' });
      const second = await newClient({ givenName: 'Sam', familyName: family, dateOfBirth: '1970-05-05' });
      const before = await counts();
      const submitted = await submit(teamcare, referral({ client: { givenName: 'Sam', familyName: family, dateOfBirth: '1970-05-05' } }));
      expect(await counts()).toEqual({ clients: before.clients + 1, prescriptions: before.prescriptions + 1, events: before.events + 1 });
      const row = await rowOf(submitted.data.submitReferral.id);
      expect([rawId(first), rawId(second)]).not.toContain(row.clientId);
      const flagged = await client(gid('Client', row.clientId));
      expect(flagged.needsIdentityReview).toBe(true);
      expect(flagged.possibleDuplicateOf.map((c: { id: string }) => c.id).sort()).toEqual([first, second].sort());
    });

    it('name and date of birth with a conflicting health card, or the health card under another name: flagged, not merged', async () => {
      const family = `Card${nextReference()}`;
      const existing = await newClient({ givenName: 'Lee', familyName: family, dateOfBirth: '1980-02-02', healthCardNumber: '1111111111' });
      for (const submitted of [
        { givenName: 'Lee', familyName: family, dateOfBirth: '1980-02-02', healthCardNumber: '2222222222' },
        { givenName: 'Leigh', familyName: `Other${family}`, dateOfBirth: '1990-09-09', healthCardNumber: '1111111111' },
      ]) {
        const result = await submit(teamcare, referral({ client: submitted }));
        expect(result.errors).toBeUndefined();
        const row = await rowOf(result.data.submitReferral.id);
        expect(row.clientId).not.toBe(rawId(existing));
        const flagged = await client(gid('Client', row.clientId));
        expect(flagged).toMatchObject({ needsIdentityReview: true, possibleDuplicateOf: [{ id: existing }] });
      }
    });

    it('no candidate, or no date of birth: a new client, not flagged', async () => {
      const family = `Solo${nextReference()}`;
      const existing = await newClient({ givenName: 'Kim', familyName: family, dateOfBirth: '1955-05-05' });
      for (const submitted of [
        { givenName: 'Kim', familyName: family },
        { givenName: 'Kim', familyName: family, dateOfBirth: '1955-05-06' },
        { givenName: 'Kimberly', familyName: family, dateOfBirth: '1955-05-05' },
      ]) {
        const result = await submit(teamcare, referral({ client: submitted }));
        const row = await rowOf(result.data.submitReferral.id);
        expect(row.clientId).not.toBe(rawId(existing));
        expect((await client(gid('Client', row.clientId))).needsIdentityReview).toBe(false);
      }
    });

    it('a client of another site is never a candidate', async () => {
      const family = `Elsewhere${nextReference()}`;
      const guelphClient = await graphql(
        server,
        CREATE_CLIENT,
        { input: { chartNumber: `G-${nextReference()}`, givenName: 'Pat', familyName: family, dateOfBirth: '1966-06-06' } },
        await staff('guelph', 'DATA_COORDINATOR'),
      );
      expect(guelphClient.errors).toBeUndefined();
      const result = await submit(teamcare, referral({ client: { givenName: 'Pat', familyName: family, dateOfBirth: '1966-06-06' } }));
      const row = await rowOf(result.data.submitReferral.id);
      expect(row.clientId).not.toBe(rawId(guelphClient.data.createClient.id));
      expect((await client(gid('Client', row.clientId))).needsIdentityReview).toBe(false);
    });

    it('the decision table', () => {
      expect(decide([])).toEqual({ kind: 'NONE' });
      expect(decide([{ id: 'a', sameNameAndBirth: true, cardAgrees: null }])).toEqual({ kind: 'MATCHED', clientId: 'a' });
      expect(decide([{ id: 'a', sameNameAndBirth: true, cardAgrees: true }])).toEqual({ kind: 'MATCHED', clientId: 'a' });
      expect(decide([{ id: 'a', sameNameAndBirth: true, cardAgrees: false }])).toEqual({ kind: 'AMBIGUOUS', candidateIds: ['a'] });
      expect(decide([{ id: 'a', sameNameAndBirth: false, cardAgrees: true }])).toEqual({ kind: 'AMBIGUOUS', candidateIds: ['a'] });
      expect(
        decide([
          { id: 'a', sameNameAndBirth: true, cardAgrees: null },
          { id: 'b', sameNameAndBirth: true, cardAgrees: null },
        ]),
      ).toEqual({ kind: 'AMBIGUOUS', candidateIds: ['a', 'b'] });
    });
  });

  describe('mergeClients', () => {
    /** An existing client and a flagged partner-submitted one that is the same person, with a consent on the flagged one. */
    const duplicatePair = async () => {
      const family = `Merge${nextReference()}`;
      const existing = await newClient({ givenName: 'Robin', familyName: family, dateOfBirth: '1975-04-04', healthCardNumber: '5555555555' });
      const submitted = await submit(
        teamcare,
        referral({ client: { givenName: 'Robin', familyName: family, dateOfBirth: '1975-04-04', healthCardNumber: '5555555556' } }),
      );
      const row = await rowOf(submitted.data.submitReferral.id);
      const flagged = gid('Client', row.clientId);
      await owner().clientConsent.create({ data: { tenantId: 'norwest', clientId: row.clientId, kind: 'EVALUATION_USE', status: 'GRANTED' } });
      return { existing, flagged, referralId: row.id, eventCount: await owner().prescriptionEvent.count({ where: { prescriptionId: row.id } }) };
    };
    const versions = async (keep: string, merge: string) => ({
      keepExpectedVersion: (await client(keep)).version,
      mergeExpectedVersion: (await client(merge)).version,
    });

    it('keeps both histories on the kept client, keeps the merged record marked, and audits both', async () => {
      const { existing, flagged, referralId, eventCount } = await duplicatePair();
      const merged = await graphql(server, MERGE, { input: { keepId: existing, mergeId: flagged, ...(await versions(existing, flagged)) } }, linkWorker);
      expect(merged.errors).toBeUndefined();
      expect(merged.data.mergeClients.prescriptions.edges.map((e: { node: { id: string } }) => rawId(e.node.id))).toContain(referralId);
      const kept = await client(existing);
      expect(kept.consents).toHaveLength(1);
      const gone = await client(flagged);
      expect(gone).toMatchObject({ mergedInto: { id: existing }, needsIdentityReview: false, prescriptions: { edges: [] }, consents: [] });
      expect(gone.mergedAt).not.toBeNull();
      // The referral's own history is untouched, and the partner still follows it.
      expect(await owner().prescriptionEvent.count({ where: { prescriptionId: referralId } })).toBe(eventCount);
      const followed = await graphql(
        server,
        'query($id: ID!) { node(id: $id) { ... on PartnerReferral { status } } }',
        { id: gid('PartnerReferral', referralId) },
        teamcare,
      );
      expect(followed.data.node).toEqual({ status: 'REQUESTED' });
      const audit = await owner().auditEvent.findMany({
        where: { action: 'WRITE', clientId: { in: [rawId(existing), rawId(flagged)] }, actorSubject: { contains: 'link_worker' } },
      });
      expect(new Set(audit.map((a) => a.clientId))).toEqual(new Set([rawId(existing), rawId(flagged)]));
      // Merging again, or into the merged record, is refused.
      expect(
        codes(await graphql(server, MERGE, { input: { keepId: flagged, mergeId: existing, ...(await versions(flagged, existing)) } }, linkWorker)),
      ).toEqual(['CONFLICT']);
    });

    it('is refused across sites, to roles that do not keep clients, and on stale versions; the same merge by the site succeeds', async () => {
      const { existing, flagged } = await duplicatePair();
      const input = { keepId: existing, mergeId: flagged, ...(await versions(existing, flagged)) };
      const before = await owner().client.findMany({ where: { id: { in: [rawId(existing), rawId(flagged)] } }, orderBy: { id: 'asc' } });
      expect(codes(await graphql(server, MERGE, { input }, await staff('guelph', 'LINK_WORKER')))).toEqual(['NOT_FOUND']);
      const guelphClient = (await owner().client.findFirstOrThrow({ where: { tenantId: 'guelph' } })).id;
      expect(codes(await graphql(server, MERGE, { input: { ...input, mergeId: gid('Client', guelphClient), mergeExpectedVersion: 1 } }, linkWorker))).toEqual([
        'NOT_FOUND',
      ]);
      for (const headers of [await staff('norwest', 'SITE_ADMIN'), await staff('norwest', 'PRIVACY_OFFICER'), teamcare]) {
        expect(codes(await graphql(server, MERGE, { input }, headers))).toEqual(['FORBIDDEN']);
      }
      expect(codes(await graphql(server, MERGE, { input: { ...input, keepExpectedVersion: input.keepExpectedVersion + 1 } }, linkWorker))).toEqual([
        'CONFLICT',
      ]);
      expect(await owner().client.findMany({ where: { id: { in: [rawId(existing), rawId(flagged)] } }, orderBy: { id: 'asc' } })).toEqual(before);
      // positive control
      const merged = await graphql(server, MERGE, { input }, dataCoordinator);
      expect(merged.errors).toBeUndefined();
      expect((await client(flagged)).mergedInto).toEqual({ id: existing });
    });

    it('dismissPossibleDuplicates clears the flag', async () => {
      const { flagged } = await duplicatePair();
      const current = await client(flagged);
      expect(current.needsIdentityReview).toBe(true);
      const dismissed = await graphql(
        server,
        'mutation($input: DismissPossibleDuplicatesInput!) { dismissPossibleDuplicates(input: $input) { needsIdentityReview possibleDuplicateOf { id } } }',
        { input: { id: flagged, expectedVersion: current.version } },
        linkWorker,
      );
      expect(dismissed.data.dismissPossibleDuplicates).toEqual({ needsIdentityReview: false, possibleDuplicateOf: [] });
    });
  });

  describe('polling and status reasons', () => {
    it('updatedSince lists changed referrals by updatedAt, then id, page by page', async () => {
      const first = (await submit(teamcare, referral())).data.submitReferral;
      const second = (await submit(teamcare, referral())).data.submitReferral;
      const since = first.updatedAt;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const accepted = await graphql(server, TRANSITION, { input: { id: gid('SocialPrescription', rawId(first.id)), to: 'ACCEPTED' } }, linkWorker);
      expect(accepted.errors).toBeUndefined();
      const seen: { id: string; updatedAt: string; status: string }[] = [];
      let after: string | null = null;
      do {
        const page: any = await graphql(server, POLL, { since, first: 1, after }, teamcare);
        expect(page.errors).toBeUndefined();
        seen.push(...page.data.partnerReferrals.edges.map((e: { node: { id: string; updatedAt: string; status: string } }) => e.node));
        after = page.data.partnerReferrals.pageInfo.hasNextPage ? page.data.partnerReferrals.pageInfo.endCursor : null;
      } while (after);
      const order = seen.map((s) => `${s.updatedAt}|${rawId(s.id)}`);
      expect(order).toEqual([...order].sort());
      expect(seen.every((s) => s.updatedAt >= since)).toBe(true);
      expect(seen.map((s) => s.id)).toContain(second.id);
      expect(seen.at(-1)).toMatchObject({ id: first.id, status: 'ACCEPTED' });
      // Nothing since the last change.
      const later = await graphql(server, POLL, { since: new Date(Date.parse(seen.at(-1)!.updatedAt) + 1).toISOString() }, teamcare);
      expect(later.data.partnerReferrals.edges.filter((e: { node: { id: string } }) => [first.id, second.id].includes(e.node.id))).toEqual([]);
      expect(codes(await graphql(server, POLL, { since }, createOnly))).toEqual(['FORBIDDEN']);
    });

    it('a rejection needs a reason code; the site and the referring partner both read it coded', async () => {
      const submitted = (await submit(teamcare, referral())).data.submitReferral;
      const id = gid('SocialPrescription', rawId(submitted.id));
      expect(codes(await graphql(server, TRANSITION, { input: { id, to: 'REJECTED' } }, linkWorker))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await graphql(server, TRANSITION, { input: { id, to: 'ACCEPTED', reasonCode: 'CAPACITY' } }, linkWorker))).toEqual(['BAD_USER_INPUT']);
      const rejected = await graphql(
        server,
        TRANSITION,
        { input: { id, to: 'REJECTED', outcome: 'NOT_ELIGIBLE', reasonCode: 'NOT_ELIGIBLE', reason: 'Outside the catchment.' } },
        linkWorker,
      );
      expect(rejected.errors).toBeUndefined();
      expect(rejected.data.transitionSocialPrescription).toMatchObject({
        status: 'REJECTED',
        statusReason: {
          code: 'NOT_ELIGIBLE',
          display: 'Not eligible',
          system: 'https://rx-community.example/fhir/CodeSystem/referral-status-reason',
          fhirCode: 'not-eligible',
        },
        statusReasonText: 'Outside the catchment.',
      });
      const followed = await graphql(
        server,
        'query($id: ID!) { node(id: $id) { ... on PartnerReferral { status statusReason { code display } statusHistory { toStatus statusReason { code } } } } }',
        { id: submitted.id },
        teamcare,
      );
      expect(followed.data.node).toEqual({
        status: 'REJECTED',
        statusReason: { code: 'NOT_ELIGIBLE', display: 'Not eligible' },
        statusHistory: [
          { toStatus: 'REQUESTED', statusReason: null },
          { toStatus: 'REJECTED', statusReason: { code: 'NOT_ELIGIBLE' } },
        ],
      });
      // The free text stays with the site.
      expect(
        codes(await graphql(server, gql('query($id: ID!) { node(id: $id) { ... on PartnerReferral { statusReasonText } } }'), { id: submitted.id }, teamcare)),
      ).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });

    it('cancelReferral takes a required reason code and returns the referral', async () => {
      const submitted = (await submit(createOnly, referral())).data.submitReferral;
      expect(codes(await graphql(server, CANCEL, { input: { referralId: submitted.id } }, createOnly))).toEqual(['BAD_USER_INPUT']);
      const cancelled = await graphql(
        server,
        CANCEL,
        { input: { referralId: submitted.id, reasonCode: 'CLIENT_DECLINED', reason: 'Changed their mind.' } },
        createOnly,
      );
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data.cancelReferral).toMatchObject({
        id: submitted.id,
        status: 'CANCELLED',
        statusReason: { code: 'CLIENT_DECLINED', display: 'Client declined' },
      });
      expect(cancelled.data.cancelReferral.closedAt).not.toBeNull();
      expect(Date.parse(cancelled.data.cancelReferral.updatedAt)).toBeGreaterThan(Date.parse(submitted.updatedAt));
      expect(await rowOf(submitted.id)).toMatchObject({ status: 'CANCELLED', statusReasonCode: 'CLIENT_DECLINED', statusReason: 'Changed their mind.' });
    });

    it('the code system module maps both ways', () => {
      expect(statusReasonCoding('UNABLE_TO_CONTACT')).toEqual({
        system: 'https://rx-community.example/fhir/CodeSystem/referral-status-reason',
        code: 'unable-to-contact',
        display: 'Unable to contact',
      });
      for (const code of Object.keys(statusReasons)) expect(statusReasonFromFhir(statusReasons[code as keyof typeof statusReasons].fhirCode)).toBe(code);
      expect(statusReasonFromFhir('nope')).toBeUndefined();
    });
  });
});
