// Sites are configuration: one JSON file per site under tenants/, validated at start-up and
// upserted, so a new site joins the network through a reviewed file rather than a SQL session.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ensureLaunchPlans } from '../evaluation/launch-activities.js';

export const tenantFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lowercase slug such as "guelph"'),
    name: z.string().min(3),
    regionKind: z.enum(['URBAN', 'RURAL', 'NORTHERN']),
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'must be an ISO 639 code such as "en" or "fr"')).min(1),
    city: z.string().min(1),
    servesArea: z.string().min(1).optional(),
    founded: z.number().int().min(1900).max(2100).optional(),
    pilotStart: z.iso.date(),
    requireProvisionedStaff: z.boolean().optional(),
  })
  .strict();

export type TenantFile = z.infer<typeof tenantFileSchema>;

export class TenantFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`tenants/${file}: field "${field}" ${problem}`);
    this.name = 'TenantFileError';
  }
}

export async function readTenantFiles(dir: string): Promise<TenantFile[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const tenants: TenantFile[] = [];
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    } catch (error) {
      throw new TenantFileError(file, '(file)', `is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = tenantFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(root)');
      throw new TenantFileError(file, field, issue.message);
    }
    if (parsed.data.id !== path.basename(file, '.json')) {
      throw new TenantFileError(file, 'id', `must match the file name (${path.basename(file, '.json')})`);
    }
    tenants.push(parsed.data);
  }
  if (tenants.length === 0) throw new TenantFileError('', '(directory)', `${dir} holds no tenant file`);
  return tenants;
}

export async function syncTenants(prisma: PrismaClient, dir: string): Promise<TenantFile[]> {
  const tenants = await readTenantFiles(dir);
  for (const { pilotStart, ...fields } of tenants) {
    const data = { ...fields, servesArea: fields.servesArea ?? null, founded: fields.founded ?? null, pilotStart: new Date(pilotStart) };
    data.requireProvisionedStaff ??= false;
    await prisma.tenant.upsert({ where: { id: data.id }, create: data, update: data });
  }
  await ensureLaunchPlans(prisma, tenants.map((t) => t.id));
  return tenants;
}
