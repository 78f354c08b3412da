// English and French over HTTP: enum labels and catalogue text in the language of Accept-Language,
// of a `locale` argument, or by default of the caller's site (CSC du Témiskaming is francophone);
// the HSDS export in the site's language; labels in production, where introspection is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from './support/graphql.js';
import { graphql, startTestServer, type TestServer } from './support/server.js';
import { network, partner, staff } from './support/tokens.js';
import { frenchLabels } from '../src/shared/labels-fr.js';

type Headers = Record<string, string>;

const needLabels = gql(`query($locale: Locale) { locale enumLabels(enum: "Need", locale: $locale) { enum value label } }`);
const allLabels = gql(`query($locale: Locale) { enumLabels(locale: $locale) { enum value label } }`);
const catalogue = gql(`query {
  launchPlan { activity title details suggestedLead }
  readinessAssessments(first: 1) { edges { node { responses { item question } } } }
}`);
const exportQuery = gql(`query($locale: Locale) { directoryExport(locale: $locale) }`);

type Hsds = {
  program: { name: string; description: string }[];
  organization: { description: string }[];
  service: { fees_description: string }[];
  taxonomy: { name: string }[];
  taxonomy_term: { code: string; name: string; language: string }[];
};

const label = (labels: { value: string; label: string }[], value: string) => labels.find((l) => l.value === value)?.label;

describe('French', () => {
  let server: TestServer;
  let temiskaming: Headers;
  let guelph: Headers;

  beforeAll(async () => {
    server = await startTestServer();
    temiskaming = await staff('temiskaming', 'SITE_ADMIN');
    guelph = await staff('guelph', 'SITE_ADMIN');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('labels follow Accept-Language: fr and en', async () => {
    const fr = await graphql(server, needLabels, {}, { ...guelph, 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' });
    expect(fr.errors).toBeUndefined();
    expect(fr.data!.locale).toBe('FR');
    expect(label(fr.data!.enumLabels, 'SOCIAL_ISOLATION')).toBe('Isolement social et solitude');
    const en = await graphql(server, needLabels, {}, { ...temiskaming, 'accept-language': 'en-CA' });
    expect(en.data!.locale).toBe('EN');
    expect(label(en.data!.enumLabels, 'SOCIAL_ISOLATION')).toBe('Social isolation and loneliness');
    expect(en.data!.enumLabels).toHaveLength(16);
  });

  it('without Accept-Language, the caller’s site decides: French at Témiskaming, English at Guelph and for the Alliance', async () => {
    const francophone = await graphql(server, needLabels, {}, temiskaming);
    expect(francophone.data!.locale).toBe('FR');
    expect(label(francophone.data!.enumLabels, 'FOOD')).toBe('Sécurité alimentaire');
    for (const headers of [guelph, await network('ALLIANCE_ANALYST'), await partner('teamcare', 'referrals:read')]) {
      const result = await graphql(server, needLabels, {}, headers);
      expect(result.data!.locale).toBe('EN');
      expect(label(result.data!.enumLabels, 'FOOD')).toBe('Food security');
    }
    // A language neither English nor French: the site's.
    const german = await graphql(server, needLabels, {}, { ...temiskaming, 'accept-language': 'de' });
    expect(german.data!.locale).toBe('FR');
  });

  it('a locale argument wins over the header and the site', async () => {
    const result = await graphql(server, needLabels, { locale: 'EN' }, { ...temiskaming, 'accept-language': 'fr' });
    expect(label(result.data!.enumLabels, 'FOOD')).toBe('Food security');
    const french = await graphql(server, needLabels, { locale: 'FR' }, guelph);
    expect(label(french.data!.enumLabels, 'FOOD')).toBe('Sécurité alimentaire');
  });

  it('every value of every enum has an English and a French label', async () => {
    const en = (await graphql(server, allLabels, { locale: 'EN' }, guelph)).data!.enumLabels;
    const fr = (await graphql(server, allLabels, { locale: 'FR' }, guelph)).data!.enumLabels;
    expect(en.length).toBeGreaterThan(200);
    expect(fr.map((l) => `${l.enum}.${l.value}`)).toEqual(en.map((l) => `${l.enum}.${l.value}`));
    const missing = en.filter((l) => !frenchLabels[l.enum]?.[l.value]).map((l) => `${l.enum}.${l.value}`);
    expect(missing).toEqual([]);
    expect(en.every((l) => l.label.length > 0 && !l.label.endsWith('.'))).toBe(true);
    expect(
      label(
        fr.filter((l) => l.enum === 'ReferralStatus'),
        'ENTERED_IN_ERROR',
      ),
    ).toBe('Saisi par erreur');
  });

  it('catalogue text (launch activities, readiness questions) is in the request’s language', async () => {
    const fr = await graphql(server, catalogue, {}, temiskaming);
    expect(fr.errors).toBeUndefined();
    expect(fr.data!.launchPlan[0]).toEqual({
      activity: 'FORM_STAFF_CIRCLE',
      title: 'Former un cercle de personnel pour soutenir la mise en œuvre',
      details: expect.stringMatching(/^Par exemple : personnel de mise en œuvre/),
      suggestedLead: 'Direction',
    });
    const question = fr.data!.readinessAssessments.edges[0]!.node.responses.find((r) => r.item === 'DESIGNATED_LINK_WORKER')!.question;
    expect(question).toBe('Avez-vous un membre du personnel désigné comme agent de liaison?');

    const en = await graphql(server, catalogue, {}, { ...temiskaming, 'accept-language': 'en' });
    expect(en.data!.launchPlan[0]!.title).toBe('Form core staff circle to support implementation');
    expect(en.data!.readinessAssessments.edges[0]!.node.responses.find((r) => r.item === 'DESIGNATED_LINK_WORKER')!.question).toBe(
      'Do you have a designated staff to be the Link Worker?',
    );
  });

  it('the HSDS export is in the site’s language: French for Témiskaming, English for Guelph, or as asked', async () => {
    const fr = (await graphql(server, exportQuery, {}, { ...temiskaming, 'accept-language': 'en' })).data!.directoryExport as Hsds;
    expect(fr.program[0]!.name).toBe('Rx : Communauté au Centre de santé communautaire du Témiskaming');
    expect(fr.organization[0]!.description).toMatch(/^Centre de santé communautaire à New Liskeard/);
    expect(fr.taxonomy[0]!.name).toBe('Besoins Rx : Communauté');
    expect(fr.taxonomy_term.length).toBeGreaterThan(0);
    expect(fr.taxonomy_term.every((term) => term.language === 'fr' && term.name === frenchLabels.Need![term.code])).toBe(true);
    expect(fr.service.map((s) => s.fees_description).join(' ')).toMatch(/Gratuit|Coût modique|Tarif selon le revenu|Des frais/);

    const en = (await graphql(server, exportQuery, {}, guelph)).data!.directoryExport as Hsds;
    expect(en.program[0]!.name).toMatch(/^Rx: Community at /);
    expect(en.taxonomy_term.every((term) => term.language === 'en')).toBe(true);

    const asked = (await graphql(server, exportQuery, { locale: 'EN' }, temiskaming)).data!.directoryExport as Hsds;
    expect(asked.taxonomy[0]!.name).toBe('Rx: Community needs');
  });
});

describe('French in production (no introspection)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('labels are served; introspection is not', async () => {
    const headers = await staff('temiskaming', 'LINK_WORKER');
    const labels = await graphql(server, needLabels, {}, headers);
    expect(labels.errors).toBeUndefined();
    expect(label(labels.data!.enumLabels, 'NATURE')).toBe('Temps en nature et espaces verts');
    const introspection = await graphql(server, '{ __type(name: "Need") { enumValues { description } } }', {}, headers);
    expect(introspection.errors?.length).toBeGreaterThan(0);
  });
});
