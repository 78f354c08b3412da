// The Open Referral HSDS 3.1 JSON schemas, checked in under tests/data/hsds-3.1 (source and commit in
// tests/data/README.md), compiled with ajv (JSON Schema 2020-12, the dialect of HSDS's OpenAPI file).
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const folder = new URL('../data/hsds-3.1/', import.meta.url);
const base = 'https://hsds.test/schema/';

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function load(): Ajv2020 {
  // strict off: the schemas carry Frictionless Data keywords (constraints, datapackage_metadata, …).
  const instance = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(instance);
  for (const sub of ['', 'compiled/']) {
    for (const file of readdirSync(new URL(sub, folder)).filter((f) => f.endsWith('.json') && f !== 'openapi.json')) {
      instance.addSchema(JSON.parse(readFileSync(new URL(sub + file, folder), 'utf8')) as object, `${base}${sub}${file}`);
    }
  }
  const openapi = JSON.parse(readFileSync(new URL('openapi.json', folder), 'utf8')) as { components: { schemas: { Page: object } } };
  instance.addSchema(openapi.components.schemas.Page, `${base}page.json`);
  return instance;
}

/** The schema's complaints, or [] when valid. `schema` is a file of tests/data/hsds-3.1 ("service.json", "compiled/service_list.json"). */
export function hsdsSchemaErrors(schema: string, value: unknown): string[] {
  ajv ??= load();
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile({ $ref: `${base}${schema}` });
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${schema}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** The page envelope of the HSDS API (its OpenAPI file's Page), every field present, with contents of the given list schema. */
export function hsdsPageErrors(listSchema: string, page: Record<string, unknown>): string[] {
  const fields = ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'];
  const missing = fields.filter((f) => !(f in page)).map((f) => `page: missing ${f}`);
  const contents = Array.isArray(page.contents) ? page.contents : [];
  return [...missing, ...hsdsSchemaErrors('page.json', page), ...contents.flatMap((record) => hsdsSchemaErrors(listSchema, record))];
}

/** The property names a schema file declares: HSDS does not forbid others, the tests do. */
export function hsdsProperties(schema: string): string[] {
  const parsed = JSON.parse(readFileSync(new URL(schema, folder), 'utf8')) as { properties: Record<string, unknown> };
  return Object.keys(parsed.properties);
}
