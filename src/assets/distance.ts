// Assets near a point: a Prisma where on the bounding box of the circle narrows the candidates,
// then SQL computes the exact great-circle (haversine) distance, keeps those within the radius and
// orders them nearest first. Paging follows that order, with the asset id as the cursor.
import { Prisma } from '../generated/prisma/client.js';
import type { RequestDb } from '../db/request-scope.js';

export type Near = { latitude: number; longitude: number; withinKm: number };
/** An asset found near a point carries its distance from it. */
export type Measured = { distanceKm?: number };
type ConnectionQuery = Pick<Prisma.CommunityAssetFindManyArgs, 'include' | 'select' | 'cursor' | 'skip' | 'take'>;

/** Mean Earth radius (IUGG), in kilometres. */
const EARTH_RADIUS_KM = 6371.0088;
const degrees = (radians: number) => (radians * 180) / Math.PI;

/** The latitude and longitude ranges that contain every point within the radius. */
export function boundingBox({ latitude, longitude, withinKm }: Near): Prisma.CommunityAssetWhereInput {
  const angle = withinKm / EARTH_RADIUS_KM;
  const dLat = degrees(angle);
  const latitudes = { gte: Math.max(-90, latitude - dLat), lte: Math.min(90, latitude + dLat) };
  const spread = Math.sin(angle) / Math.cos((latitude * Math.PI) / 180);
  // Near a pole or across the antimeridian, any longitude may be in range.
  const dLng = spread < 1 ? degrees(Math.asin(spread)) : 180;
  if (latitude + dLat >= 90 || latitude - dLat <= -90 || longitude - dLng < -180 || longitude + dLng > 180) {
    return { latitude: latitudes, longitude: { not: null } };
  }
  return { latitude: latitudes, longitude: { gte: longitude - dLng, lte: longitude + dLng } };
}

/** The rows of one page of `ordered`, as Prisma's cursor paging would pick them (take < 0 pages backwards). */
export function pageOf<T extends { id: string }>(ordered: T[], { cursor, skip = 0, take }: Pick<ConnectionQuery, 'cursor' | 'skip' | 'take'>): T[] {
  let start = 0;
  let end = ordered.length;
  if (cursor) {
    const at = ordered.findIndex((row) => row.id === cursor.id);
    if (at < 0) return [];
    if (take === undefined || take >= 0) start = at + skip;
    else end = at + 1 - skip;
  }
  if (take === undefined) return ordered.slice(start, end);
  return take >= 0 ? ordered.slice(start, start + take) : ordered.slice(Math.max(start, end + take), end);
}

/** Every asset matching `where` within the distance, nearest first (ties by id). */
async function rankedNear(db: RequestDb, where: Prisma.CommunityAssetWhereInput, near: Near) {
  const candidates = await db.communityAsset.findMany({ where: { AND: [where, boundingBox(near)] }, select: { id: true } });
  if (candidates.length === 0) return [];
  const lat = Prisma.sql`${near.latitude}::double precision`;
  const lng = Prisma.sql`${near.longitude}::double precision`;
  const ranked = await db.$queryRaw<{ id: string; distanceKm: number }[]>`
    SELECT id, "distanceKm" FROM (
      SELECT id, 2 * ${EARTH_RADIUS_KM}::double precision * asin(least(1, sqrt(
               power(sin(radians(latitude - ${lat}) / 2), 2)
               + cos(radians(${lat})) * cos(radians(latitude)) * power(sin(radians(longitude - ${lng}) / 2), 2)
             ))) AS "distanceKm"
        FROM "CommunityAsset"
       WHERE id IN (${Prisma.join(candidates.map((c) => c.id))})
    ) AS measured
    WHERE "distanceKm" <= ${near.withinKm}::double precision
    ORDER BY "distanceKm", id`;
  return ranked;
}

/** How many assets matching `where` lie within the distance: the `near` list's totalCount. */
export const countAssetsNear = async (db: RequestDb, where: Prisma.CommunityAssetWhereInput, near: Near) => (await rankedNear(db, where, near)).length;

export async function assetsNear(db: RequestDb, query: ConnectionQuery, where: Prisma.CommunityAssetWhereInput, near: Near) {
  const { cursor, skip, take, ...selection } = query;
  const ranked = await rankedNear(db, where, near);
  const page = pageOf(ranked, { cursor, skip, take });
  if (page.length === 0) return [];
  const rows = await db.communityAsset.findMany({ ...selection, where: { id: { in: page.map((r) => r.id) } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return page.flatMap(({ id, distanceKm }) => {
    const row = byId.get(id);
    return row ? [Object.assign(row, { distanceKm } satisfies Measured)] : [];
  });
}
