import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTenantFiles, TenantFileError } from '../src/tenants/tenant-files.js';

const realDir = path.resolve('tenants');
const dirs: string[] = [];

async function dirWith(files: Record<string, unknown>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'rx-tenants-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const guelph = JSON.parse(await readFile(path.join(realDir, 'guelph.json'), 'utf8'));

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('tenant files', () => {
  it('hold the 11 pilot sites with stable slugs', async () => {
    const tenants = await readTenantFiles(realDir);
    expect(tenants.map((t) => t.id)).toEqual([
      'belleville-quinte-west',
      'centretown',
      'country-roads',
      'gateway',
      'guelph',
      'norwest',
      'rexdale',
      'south-georgian-bay',
      'stonegate',
      'temiskaming',
      'west-elgin',
    ]);
    expect(tenants.find((t) => t.id === 'temiskaming')!.languages[0]).toBe('fr');
    expect((await readdir(realDir)).filter((f) => f.endsWith('.json'))).toHaveLength(11);
  });

  it.each([
    ['a bad enum value', { ...guelph, regionKind: 'SUBURBAN' }, 'regionKind'],
    ['a missing field', { ...guelph, name: undefined }, 'name'],
    ['a bad date', { ...guelph, pilotStart: '2018-13-45' }, 'pilotStart'],
    ['a bad language code', { ...guelph, languages: ['English'] }, 'languages.0'],
    ['an unknown field', { ...guelph, colour: 'green' }, 'colour'],
  ])('reject %s, naming the file and the field', async (_case, content, field) => {
    const dir = await dirWith({ 'guelph.json': content });
    await expect(readTenantFiles(dir)).rejects.toThrow(`tenants/guelph.json: field "${field}"`);
  });

  it('reject an id that differs from the file name', async () => {
    const dir = await dirWith({ 'guelph-north.json': guelph });
    await expect(readTenantFiles(dir)).rejects.toThrow('tenants/guelph-north.json: field "id" must match the file name');
  });

  it('report every problem of every file at once', async () => {
    const dir = await dirWith({
      'guelph.json': { ...guelph, regionKind: 'SUBURBAN', languages: ['English'] },
      'norwest.json': '{ id: norwest',
      'rexdale.json': { ...guelph, id: 'rexdale' },
    });
    const error = await readTenantFiles(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantFileError);
    expect((error as TenantFileError).problems.map((p) => `${p.file} ${p.field}`)).toEqual([
      'guelph.json regionKind',
      'guelph.json languages.0',
      'norwest.json (file)',
    ]);
    expect((error as Error).message.split('\n')[0]).toBe('3 problems in the site files:');
  });

  it('reject a file that is not JSON', async () => {
    const dir = await dirWith({ 'guelph.json': '{ id: guelph' });
    await expect(readTenantFiles(dir)).rejects.toThrow('tenants/guelph.json: field "(file)" is not valid JSON');
  });
});
