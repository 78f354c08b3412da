// Every field that returns client data is declared either health information (with its category,
// so it is audited and lock-box aware) or explicitly non-identifying. A new unmarked field fails here.
import { isObjectType, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema.js';

/** Models whose rows are part of a client's record. The audit trail itself is read only by the privacy officer. */
const clientRecordModels = [
  'Client',
  'ClientConsent',
  'ClientLock',
  'SocialPrescription',
  'PrescriptionEvent',
  'PrescriptionItem',
  'OutcomeAssessment',
  'UtilizationRecord',
];

const objectTypes = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));
const ext = (x: { extensions?: unknown }) => (x.extensions ?? {}) as Record<string, unknown>;

describe('health information marking', () => {
  it('every type built on a client-record model says whose record it is', () => {
    const missing = objectTypes.filter((t) => clientRecordModels.includes(ext(t).pothosPrismaModel as string) && !ext(t).clientRecord).map((t) => t.name);
    expect(missing).toEqual([]);
  });

  it('every field of a client-record type is marked PHI (with a category) or non-identifying', () => {
    const unmarked: string[] = [];
    for (const type of objectTypes.filter((t) => ext(t).clientRecord)) {
      for (const field of Object.values(type.getFields())) {
        if (field.name === 'id') continue; // opaque global id
        const marks = ext(field);
        if (!marks.phi && marks.nonIdentifying !== true) unmarked.push(`${type.name}.${field.name}`);
      }
    }
    expect(unmarked).toEqual([]);
  });

  it('every mutation returning a client record declares what it writes', () => {
    const undeclared = Object.values(schema.getMutationType()!.getFields())
      .filter((field) => {
        let type = field.type as { ofType?: unknown; name?: string };
        while (type.ofType) type = type.ofType;
        const returned = schema.getType(type.name!);
        return returned && ext(returned).clientRecord && !ext(field).phiWrite && ext(field).nonIdentifying !== true;
      })
      .map((field) => field.name);
    expect(undeclared).toEqual([]);
  });

  it('has the client record types it should', () => {
    expect(objectTypes.filter((t) => ext(t).clientRecord).map((t) => t.name)).toEqual(expect.arrayContaining(['Client', 'ClientConsent', 'ClientLock']));
  });
});
