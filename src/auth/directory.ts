// Whether a token's tenant or partner exists. Read on the owner connection with a short cache, so
// that verifying a token costs no query on most requests; a site or partner added later is known
// within the cache's lifetime.
import type { PrismaClient } from '../generated/prisma/client.js';

export function createDirectory(prisma: PrismaClient, ttlMs = 30_000) {
  let loaded: Promise<{ tenants: Set<string>; partners: Set<string> }> | undefined;
  let loadedAt = 0;
  const current = () => {
    if (!loaded || Date.now() - loadedAt > ttlMs) {
      loadedAt = Date.now();
      loaded = (async () => ({
        tenants: new Set((await prisma.tenant.findMany({ select: { id: true } })).map((t) => t.id)),
        partners: new Set((await prisma.partnerOrganization.findMany({ select: { id: true } })).map((p) => p.id)),
      }))();
      loaded.catch(() => (loaded = undefined));
    }
    return loaded;
  };
  return {
    /** Drops the cache: the next token is checked against the database (after a site reload). */
    forget: () => {
      loaded = undefined;
    },
    knownTenant: async (id: string) => (await current()).tenants.has(id),
    knownPartner: async (id: string) => (await current()).partners.has(id),
  };
}
