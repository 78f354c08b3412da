// Sites are configuration: one JSON file per site under tenants/, validated at start-up and
// upserted, so a new site joins the network through a reviewed file rather than a SQL session.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ensureLaunchPlans } from '../evaluation/launch-activities.js';
import { StartUpProblem } from '../server/start-up-problem.js';

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

export type TenantFileProblem = { file: string; field: string; problem: string };

const describe = ({ file, field, problem }: TenantFileProblem) => `tenants/${file}: field "${field}" ${problem}`;

/** Every problem of every site file, in one message (one line each). */
export class TenantFileError extends StartUpProblem {
  override name = 'TenantFileError';
  constructor(readonly problems: TenantFileProblem[]) {
    super(
      problems.length === 1
        ? describe(problems[0]!)
        : `${problems.length} problems in the site files:\n${problems.map((p) => `  ${describe(p)}`).join('\n')}`,
    );
  }
}

/** The site files of `dir`, validated: all of them, or a TenantFileError listing every problem of every file. */
export async function readTenantFiles(dir: string): Promise<TenantFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new TenantFileError([{ file: '', field: '(directory)', problem: `${dir} cannot be read: ${(error as Error).message}` }]);
  }
  const tenants: TenantFile[] = [];
  const problems: TenantFileProblem[] = [];
  for (const file of names) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    } catch (error) {
      problems.push({ file, field: '(file)', problem: `is not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = tenantFileSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(root)');
        problems.push({ file, field, problem: issue.message });
      }
    }
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id !== path.basename(file, '.json')) {
      problems.push({ file, field: 'id', problem: `must match the file name (${path.basename(file, '.json')})` });
    }
    if (parsed.success) tenants.push(parsed.data);
  }
  if (names.length === 0) problems.push({ file: '', field: '(directory)', problem: `${dir} holds no tenant file` });
  if (problems.length > 0) throw new TenantFileError(problems);
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
