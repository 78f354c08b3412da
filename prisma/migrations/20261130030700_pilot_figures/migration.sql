-- The pilot's figures (issue 12): the supports clients were connected to (Figure 7), consent
-- coverage beside the headline, outcome means at baseline and follow-up with a chosen follow-up
-- and the ONS4 questions one by one, and the REGION dimension. Hand-written, kept as it is.
-- Every function below is SECURITY DEFINER, checks its caller through agg_scope, and returns
-- grouped counts with their cell keys, as the cell-keys migration's do.

-- The regions a site counts under: its region kind, and FRANCOPHONE when its main language (the
-- first of its tenant file's languages) is French. src/aggregates/regions.ts says the same.
CREATE FUNCTION agg_regions(region_kind "RegionKind", languages text[]) RETURNS text[] LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN languages[1] = 'fr' THEN ARRAY[region_kind::text, 'FRANCOPHONE'] ELSE ARRAY[region_kind::text] END $$;

CREATE OR REPLACE FUNCTION agg_key_sql(dimension text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE dimension
    WHEN 'SITE' THEN 'p.tenant'
    WHEN 'REGION' THEN 'r.region'
    WHEN 'NEED' THEN $k$coalesce(n.need::text, 'NOT_RECORDED')$k$
    WHEN 'SUPPORT_LEVEL' THEN 'p."supportLevel"::text'
    WHEN 'STATUS' THEN 'p.status::text'
    WHEN 'OUTCOME' THEN $k$coalesce(p.outcome::text, 'NOT_RECORDED')$k$
    WHEN 'SOURCE' THEN 'p.source::text'
    WHEN 'MONTH' THEN $k$to_char(p."referredAt", 'YYYY-MM')$k$
    WHEN 'AGE_BAND' THEN $k$coalesce(c."ageBand"::text, 'NOT_RECORDED')$k$
    WHEN 'GENDER_IDENTITY' THEN $k$coalesce(c."genderIdentity"::text, 'NOT_RECORDED')$k$
    WHEN 'LANGUAGE' THEN $k$CASE WHEN c."preferredLanguage" IS NULL THEN 'NOT_RECORDED' WHEN c."preferredLanguage" = ANY (agg_languages()) THEN c."preferredLanguage" ELSE 'OTHER' END$k$
    WHEN 'INCOME_BAND' THEN $k$coalesce(c."incomeBand"::text, 'NOT_RECORDED')$k$
    WHEN 'RACIALIZED' THEN $k$coalesce(c.racialized::text, 'NOT_RECORDED')$k$
    WHEN 'INDIGENOUS' THEN $k$coalesce(c.indigenous::text, 'NOT_RECORDED')$k$
    WHEN 'LGBTQ2S' THEN $k$coalesce(c.lgbtq2s::text, 'NOT_RECORDED')$k$
    WHEN 'NEWCOMER' THEN $k$coalesce(c.newcomer::text, 'NOT_RECORDED')$k$
    WHEN 'LIVES_ALONE' THEN $k$coalesce(c."livesAlone"::text, 'NOT_RECORDED')$k$
    WHEN 'DISABILITY' THEN $k$coalesce(c.disability::text, 'NOT_RECORDED')$k$
  END $$;

-- The joins a breakdown's keys need beyond the prescription (p) and the client (c): one row per
-- need (n) and per region (r) when those are asked for.
CREATE FUNCTION agg_key_joins_sql(dimensions text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN 'NEED' = ANY (dimensions) THEN ' LEFT JOIN LATERAL unnest(p.needs) AS n(need) ON true' ELSE '' END
      || CASE WHEN 'REGION' = ANY (dimensions)
              THEN ' JOIN "Tenant" t ON t.id = p.tenant CROSS JOIN LATERAL unnest(agg_regions(t."regionKind", t.languages)) AS r(region)'
              ELSE '' END
$$;

-- As before, with REGION; a prescription of a francophone site counts under two regions, so REGION,
-- like NEED, is counted once in the margins.
CREATE OR REPLACE FUNCTION agg_prescriptions_sql(dimensions text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  k1 text := agg_key_sql(dimensions[1]);
  k2 text := CASE WHEN cardinality(dimensions) = 2 THEN agg_key_sql(dimensions[2]) ELSE 'NULL::text' END;
  several boolean := dimensions && ARRAY['NEED', 'REGION'];
BEGIN
  IF cardinality(dimensions) NOT IN (1, 2) OR k1 IS NULL OR k2 IS NULL OR dimensions[1] = dimensions[2] THEN
    RAISE EXCEPTION 'unknown breakdown %', dimensions USING ERRCODE = '22023';
  END IF;
  RETURN format($q$
    SELECT k1, k2, grouping(k1, k2)::int AS grouped, %s AS prescriptions, agg_cell_key(%s) AS prescription_key,
           count(DISTINCT "clientId") AS clients, agg_cell_key(sum(DISTINCT client_key)) AS client_key
      FROM (SELECT %s COLLATE "C" AS k1, %s COLLATE "C" AS k2, p.id COLLATE "C" AS id, p."clientId" COLLATE "C" AS "clientId",
                   p."recordKey" AS prescription_key, c."recordKey" AS client_key
              FROM agg_counted($1, $2, $3) p JOIN agg_clients() c ON c."tenantId" = p.tenant AND c.id = p."clientId" %s) x
     GROUP BY GROUPING SETS (%s)$q$,
    CASE WHEN several THEN 'count(DISTINCT id)' ELSE 'count(*)' END,
    CASE WHEN several THEN 'sum(DISTINCT prescription_key)' ELSE 'sum(prescription_key)' END,
    k1, k2, agg_key_joins_sql(dimensions),
    CASE WHEN cardinality(dimensions) = 1 THEN '(k1, k2), ()' ELSE '(k1, k2), (k1), (k2), ()' END);
END $$;

-- The record key of a prescription item (what a client was connected to): the prescription's
-- random record key mixed with a hash of the item's id, so each item has its own key, as secret
-- as the prescription's, with no column the request role could read.
CREATE FUNCTION agg_item_key(prescription_key bigint, item_id text) RETURNS bigint LANGUAGE sql IMMUTABLE
  AS $$ SELECT prescription_key # (hashtextextended(item_id, 0) & 9007199254740991) $$;

-- The key of a support dimension over the item (i), its program (g) and asset (a) and the
-- support categories (s); any other dimension as agg_key_sql has it.
CREATE FUNCTION agg_support_key_sql(dimension text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE dimension
    WHEN 'SUPPORT_CATEGORY' THEN $k$coalesce(s.category::text, 'NOT_RECORDED')$k$
    WHEN 'SUPPORT_KIND' THEN $k$CASE WHEN g.id IS NULL THEN 'ASSET' WHEN g."runBy" = 'PARTNER' THEN 'PARTNER_PROGRAM'
                                    WHEN g."runBy" = 'HEALTH_CHAMPION' THEN 'HEALTH_CHAMPION_LED' ELSE 'PROGRAM' END$k$
    WHEN 'ITEM_STATUS' THEN 'i.status::text'
    ELSE agg_key_sql(dimension)
  END $$;

-- The supports clients were connected to (prescription items of the counted prescriptions), by
-- one or two dimensions: connections and distinct clients with their cell keys, the cells
-- (grouped 0), the margins (1, 2) and the total (3). An item's support categories are its
-- program's needs, or its asset's categories; one row each, so items count once in the margins.
-- $1 sites, $2 first day, $3 last day.
CREATE FUNCTION agg_supports_sql(dimensions text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  k1 text := agg_support_key_sql(dimensions[1]);
  k2 text := CASE WHEN cardinality(dimensions) = 2 THEN agg_support_key_sql(dimensions[2]) ELSE 'NULL::text' END;
BEGIN
  IF cardinality(dimensions) NOT IN (1, 2) OR k1 IS NULL OR k2 IS NULL OR dimensions[1] = dimensions[2] THEN
    RAISE EXCEPTION 'unknown breakdown %', dimensions USING ERRCODE = '22023';
  END IF;
  RETURN format($q$
    SELECT k1, k2, grouping(k1, k2)::int AS grouped, count(DISTINCT id) AS connections, agg_cell_key(sum(DISTINCT item_key)) AS connection_key,
           count(DISTINCT "clientId") AS clients, agg_cell_key(sum(DISTINCT client_key)) AS client_key
      FROM (SELECT %s COLLATE "C" AS k1, %s COLLATE "C" AS k2, i.id COLLATE "C" AS id, p."clientId" COLLATE "C" AS "clientId",
                   agg_item_key(p."recordKey", i.id) AS item_key, c."recordKey" AS client_key
              FROM agg_counted($1, $2, $3) p JOIN agg_clients() c ON c."tenantId" = p.tenant AND c.id = p."clientId"
              JOIN "PrescriptionItem" i ON i."tenantId" = p.tenant AND i."prescriptionId" = p.id
              LEFT JOIN "Program" g ON g.id = i."programId"
              LEFT JOIN "CommunityAsset" a ON a.id = i."assetId"
              %s %s) x
     GROUP BY GROUPING SETS (%s)$q$,
    k1, k2, agg_key_joins_sql(dimensions),
    CASE WHEN 'SUPPORT_CATEGORY' = ANY (dimensions)
         THEN 'LEFT JOIN LATERAL unnest(CASE WHEN g.id IS NULL THEN a.categories ELSE g.needs END) AS s(category) ON true' ELSE '' END,
    CASE WHEN cardinality(dimensions) = 1 THEN '(k1, k2), ()' ELSE '(k1, k2), (k1), (k2), ()' END);
END $$;

CREATE FUNCTION agg_supports(dimensions text[], date_from date, date_to date, sites text[])
  RETURNS TABLE (k1 text, k2 text, grouped int, connections bigint, connection_key float8, clients bigint, client_key float8)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE agg_supports_sql(dimensions) USING agg_scope(sites), date_from, date_to;
END $$;

-- Consent coverage, per site (grouped 0) and in all (1): the prescriptions of the period (not
-- entered in error) and their distinct clients, all of them, those counted (evaluation consent in
-- force: agg_counted), and those left out, each with its cell key.
CREATE FUNCTION agg_coverage(date_from date, date_to date, sites text[])
  RETURNS TABLE (site text, grouped int,
                 recorded_prescriptions bigint, recorded_prescription_key float8, recorded_clients bigint, recorded_client_key float8,
                 counted_prescriptions bigint, counted_prescription_key float8, counted_clients bigint, counted_client_key float8,
                 left_out_prescriptions bigint, left_out_prescription_key float8, left_out_clients bigint, left_out_client_key float8)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    WITH scope AS (SELECT agg_scope(sites) AS sites),
    recorded AS (SELECT p."tenantId" AS tenant, p."clientId" COLLATE "C" AS "clientId", p."recordKey" AS prescription_key,
                        c."recordKey" AS client_key, k.id IS NOT NULL AS counted
                   FROM scope, "SocialPrescription" p
                   JOIN "Client" c ON c."tenantId" = p."tenantId" AND c.id = p."clientId"
                   LEFT JOIN agg_counted((SELECT scope.sites FROM scope), date_from, date_to) k ON k.tenant = p."tenantId" AND k.id = p.id
                  WHERE p."tenantId" = ANY (scope.sites) AND p."referredAt" >= date_from AND p."referredAt" < date_to + 1
                    AND p.status <> 'ENTERED_IN_ERROR'),
    figures AS (SELECT tenant, grouping(tenant)::int AS grouped,
                       count(*) AS rp, agg_cell_key(sum(prescription_key)) AS rpk,
                       count(DISTINCT "clientId") AS rc, agg_cell_key(sum(DISTINCT client_key)) AS rck,
                       count(*) FILTER (WHERE counted) AS cp, agg_cell_key(sum(prescription_key) FILTER (WHERE counted)) AS cpk,
                       count(DISTINCT "clientId") FILTER (WHERE counted) AS cc, agg_cell_key(sum(DISTINCT client_key) FILTER (WHERE counted)) AS cck,
                       count(*) FILTER (WHERE NOT counted) AS lp, agg_cell_key(sum(prescription_key) FILTER (WHERE NOT counted)) AS lpk,
                       count(DISTINCT "clientId") FILTER (WHERE NOT counted) AS lc,
                       agg_cell_key(sum(DISTINCT client_key) FILTER (WHERE NOT counted)) AS lck
                  FROM recorded GROUP BY GROUPING SETS ((tenant), ())),
    every AS (SELECT unnest(scope.sites) AS tenant, 0 AS grouped FROM scope UNION ALL SELECT NULL, 1)
    SELECT e.tenant, e.grouped,
           coalesce(f.rp, 0), coalesce(f.rpk, 0), coalesce(f.rc, 0), coalesce(f.rck, 0),
           coalesce(f.cp, 0), coalesce(f.cpk, 0), coalesce(f.cc, 0), coalesce(f.cck, 0),
           coalesce(f.lp, 0), coalesce(f.lpk, 0), coalesce(f.lc, 0), coalesce(f.lck, 0)
      FROM every e LEFT JOIN figures f ON f.grouped = e.grouped AND f.tenant IS NOT DISTINCT FROM e.tenant
$$;

-- Outcomes as before, now per measure: each scored instrument, and each ONS4 question on its own
-- (ONS4_LIFE_SATISFACTION, ONS4_WORTHWHILE, ONS4_HAPPINESS, ONS4_ANXIETY). The follow-up is the
-- client's latest of the chosen time point after the baseline (MONTH_3 or MONTH_6), or of any
-- time point when none is chosen. Beside the sum of changes, the sums of the baseline and the
-- follow-up scores, each with its largest value, for the magnitude perturbation of the means.
-- Lower is better for UCLA-3 and ONS4 anxiety, higher for the rest.
-- $1 sites, $2 first day, $3 last day, $4 the follow-up time point (NULL: any).
CREATE OR REPLACE FUNCTION agg_outcomes_sql(factor text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN format($q$
    WITH cohort AS (SELECT DISTINCT tenant, "clientId" FROM agg_counted($1, $2, $3)),
    assessed AS (SELECT a.* FROM "OutcomeAssessment" a JOIN cohort ON cohort.tenant = a."tenantId" AND cohort."clientId" = a."clientId"),
    scored AS (SELECT a."tenantId", a."clientId", a.instrument::text AS measure, a."timePoint", a."assessedAt", a.id,
                      coalesce(a."metricScore", a.score) AS score
                 FROM assessed a WHERE a.score IS NOT NULL
               UNION ALL
               SELECT a."tenantId", a."clientId", 'ONS4_' || q.name, a."timePoint", a."assessedAt", a.id, a.items[q.n]::float8
                 FROM assessed a
                 CROSS JOIN (VALUES (1, 'LIFE_SATISFACTION'), (2, 'WORTHWHILE'), (3, 'HAPPINESS'), (4, 'ANXIETY')) AS q(n, name)
                WHERE a.instrument = 'ONS4' AND a.items[q.n] IS NOT NULL),
    baseline AS (SELECT DISTINCT ON ("tenantId", "clientId", measure) * FROM scored
                  WHERE "timePoint" = 'BASELINE' ORDER BY "tenantId", "clientId", measure, "assessedAt", id),
    paired AS (SELECT b."tenantId", b."clientId", b.measure, b.score AS before, f.score AS after,
                      CASE WHEN b.measure IN ('UCLA_LONELINESS_3', 'ONS4_ANXIETY') THEN f.score < b.score ELSE f.score > b.score END AS improved
                 FROM baseline b
                 JOIN LATERAL (SELECT s.score FROM scored s
                                WHERE s."tenantId" = b."tenantId" AND s."clientId" = b."clientId" AND s.measure = b.measure
                                  AND s."timePoint" <> 'BASELINE' AND ($4::text IS NULL OR s."timePoint"::text = $4)
                                  AND s."assessedAt" > b."assessedAt"
                                ORDER BY s."assessedAt" DESC, s.id DESC LIMIT 1) f ON true)
    SELECT x.measure AS measure, %s AS grp, grouping(x.measure, %s)::int AS grouped,
           count(*) AS clients, agg_cell_key(sum(c."recordKey")) AS client_key,
           sum(x.after - x.before)::float8 AS sum_change, max(abs(x.after - x.before))::float8 AS max_change,
           sum(x.before)::float8 AS sum_before, max(abs(x.before))::float8 AS max_before,
           sum(x.after)::float8 AS sum_after, max(abs(x.after))::float8 AS max_after,
           count(*) FILTER (WHERE x.improved) AS improved, agg_cell_key(sum(c."recordKey") FILTER (WHERE x.improved)) AS improved_key,
           count(*) FILTER (WHERE x.measure = 'UCLA_LONELINESS_3' AND x.before >= 6) AS lonely_before,
           agg_cell_key(sum(c."recordKey") FILTER (WHERE x.measure = 'UCLA_LONELINESS_3' AND x.before >= 6)) AS lonely_before_key,
           count(*) FILTER (WHERE x.measure = 'UCLA_LONELINESS_3' AND x.after >= 6) AS lonely_after,
           agg_cell_key(sum(c."recordKey") FILTER (WHERE x.measure = 'UCLA_LONELINESS_3' AND x.after >= 6)) AS lonely_after_key
      FROM paired x JOIN agg_clients() c ON c."tenantId" = x."tenantId" AND c.id = x."clientId"
     GROUP BY GROUPING SETS ((x.measure, %s), (x.measure))$q$,
    agg_equity_key_sql(factor), agg_equity_key_sql(factor), agg_equity_key_sql(factor));
END $$;

DROP FUNCTION agg_outcomes(text, date, date, text[]);
CREATE FUNCTION agg_outcomes(factor text, follow_up text, date_from date, date_to date, sites text[])
  RETURNS TABLE (measure text, grp text, grouped int, clients bigint, client_key float8, sum_change float8, max_change float8,
                 sum_before float8, max_before float8, sum_after float8, max_after float8,
                 improved bigint, improved_key float8, lonely_before bigint, lonely_before_key float8, lonely_after bigint, lonely_after_key float8)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF follow_up IS NOT NULL AND follow_up NOT IN ('MONTH_3', 'MONTH_6') THEN
    RAISE EXCEPTION 'unknown follow-up %', follow_up USING ERRCODE = '22023';
  END IF;
  RETURN QUERY EXECUTE agg_outcomes_sql(factor) USING agg_scope(sites), date_from, date_to, follow_up;
END $$;

REVOKE EXECUTE ON FUNCTION agg_regions("RegionKind", text[]), agg_key_joins_sql(text[]), agg_item_key(bigint, text),
  agg_support_key_sql(text), agg_supports_sql(text[]), agg_supports(text[], date, date, text[]),
  agg_coverage(date, date, text[]), agg_outcomes(text, text, date, date, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agg_supports(text[], date, date, text[]), agg_coverage(date, date, text[]),
  agg_outcomes(text, text, date, date, text[]) TO rx_app;
