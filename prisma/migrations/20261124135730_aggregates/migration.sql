-- Cross-site aggregates. Network principals hold no SELECT on health information (row-level
-- security denies them every client row); they, and the data roles of a site for their own site,
-- reach it only through the SECURITY DEFINER functions below, which return grouped counts, never
-- a row per client. Small-cell suppression runs on those grouped rows in the API
-- (src/aggregates/suppression.ts). Each function checks its caller itself, from the same
-- transaction settings the policies read. The functions run as their owner, the migration user,
-- which must be a superuser or hold BYPASSRLS, as it must already to migrate and seed.
-- No index of their own: across sites they scan (a sequential scan is the fastest way to read
-- most rows), and for one site or a short period the existing (tenantId, referredAt),
-- (tenantId, clientId, kind, recordedAt) and (tenantId, prescriptionId) indexes serve them.
-- Hand-written, kept as it is.

-- The sites the caller may aggregate: the network roles any requested sites (all when none are
-- named), the data roles of a site only their own whatever they name, anyone else an error.
CREATE FUNCTION agg_scope(requested text[]) RETURNS text[] LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
  IF app_principal_kind() = 'NETWORK' AND (app_has_role('ALLIANCE_ANALYST') OR app_has_role('ALLIANCE_ADMIN')) THEN
    RETURN ARRAY(SELECT t.id FROM "Tenant" t WHERE requested IS NULL OR t.id = ANY (requested) ORDER BY t.id);
  ELSIF app_principal_kind() = 'STAFF' AND app_setting('app.tenant_id') IS NOT NULL
        AND (app_has_role('DATA_COORDINATOR') OR app_has_role('SITE_ADMIN') OR app_has_role('PRIVACY_OFFICER')) THEN
    RETURN ARRAY[app_setting('app.tenant_id')];
  END IF;
  RAISE EXCEPTION 'aggregates are not available to this caller' USING ERRCODE = '42501';
END $$;

-- The prescriptions an aggregate counts: referred in the period (whole UTC days) at the sites,
-- not entered in error, of clients whose newest evaluation-use consent is a grant.
-- Plain SQL, so the planner inlines it into each aggregate statement.
CREATE FUNCTION agg_counted(sites text[], date_from date, date_to date)
  RETURNS TABLE (tenant text, id text, "clientId" text, "prescriberId" text, needs "Need"[], "supportLevel" "SupportLevel",
                 status "ReferralStatus", outcome "ReferralOutcome", source "ReferralSource", "referredAt" timestamp(3))
  LANGUAGE sql STABLE AS $$
    SELECT p."tenantId", p.id, p."clientId", p."prescriberId", p.needs, p."supportLevel", p.status, p.outcome, p.source, p."referredAt"
      FROM "SocialPrescription" p
     WHERE p."tenantId" = ANY (sites)
       AND p."referredAt" >= date_from AND p."referredAt" < date_to + 1
       AND p.status <> 'ENTERED_IN_ERROR'
       AND EXISTS (SELECT 1 FROM "ClientConsent" c
                    WHERE c."tenantId" = p."tenantId" AND c."clientId" = p."clientId"
                      AND c.kind = 'EVALUATION_USE' AND c.status = 'GRANTED'
                      AND NOT EXISTS (SELECT 1 FROM "ClientConsent" n
                                       WHERE n."tenantId" = c."tenantId" AND n."clientId" = c."clientId" AND n.kind = 'EVALUATION_USE'
                                         AND (n."recordedAt", n.id) > (c."recordedAt", c.id)))
  $$;

-- The SQL expression of one dimension over agg_counted (alias p), the client (alias c) and the
-- unnested needs (alias n). NULL for anything else, so no caller text ever reaches a query.
CREATE FUNCTION agg_key_sql(dimension text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE dimension
    WHEN 'SITE' THEN 'p.tenant'
    WHEN 'NEED' THEN $k$coalesce(n.need::text, 'NOT_RECORDED')$k$
    WHEN 'SUPPORT_LEVEL' THEN 'p."supportLevel"::text'
    WHEN 'STATUS' THEN 'p.status::text'
    WHEN 'OUTCOME' THEN $k$coalesce(p.outcome::text, 'NOT_RECORDED')$k$
    WHEN 'SOURCE' THEN 'p.source::text'
    WHEN 'MONTH' THEN $k$to_char(p."referredAt", 'YYYY-MM')$k$
    WHEN 'AGE_BAND' THEN $k$coalesce(c."ageBand"::text, 'NOT_RECORDED')$k$
    WHEN 'GENDER_IDENTITY' THEN $k$coalesce(c."genderIdentity"::text, 'NOT_RECORDED')$k$
    WHEN 'LANGUAGE' THEN $k$coalesce(c."preferredLanguage", 'NOT_RECORDED')$k$
    WHEN 'INCOME_BAND' THEN $k$coalesce(c."incomeBand"::text, 'NOT_RECORDED')$k$
    WHEN 'RACIALIZED' THEN $k$coalesce(c.racialized::text, 'NOT_RECORDED')$k$
    WHEN 'INDIGENOUS' THEN $k$coalesce(c.indigenous::text, 'NOT_RECORDED')$k$
    WHEN 'LGBTQ2S' THEN $k$coalesce(c.lgbtq2s::text, 'NOT_RECORDED')$k$
    WHEN 'NEWCOMER' THEN $k$coalesce(c.newcomer::text, 'NOT_RECORDED')$k$
    WHEN 'LIVES_ALONE' THEN $k$coalesce(c."livesAlone"::text, 'NOT_RECORDED')$k$
    WHEN 'DISABILITY' THEN $k$coalesce(c.disability::text, 'NOT_RECORDED')$k$
  END $$;

-- The dimensions that describe the client: the equity lens.
CREATE FUNCTION agg_equity_factors() RETURNS text[] LANGUAGE sql IMMUTABLE
  AS $$ SELECT ARRAY['AGE_BAND', 'GENDER_IDENTITY', 'LANGUAGE', 'INCOME_BAND', 'RACIALIZED', 'INDIGENOUS', 'LGBTQ2S', 'NEWCOMER', 'LIVES_ALONE', 'DISABILITY'] $$;

-- The key of a sociodemographic factor, or a constant when there is none.
CREATE FUNCTION agg_equity_key_sql(factor text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF factor IS NULL THEN RETURN 'NULL::text'; END IF;
  IF NOT factor = ANY (agg_equity_factors()) THEN
    RAISE EXCEPTION 'unknown sociodemographic factor %', factor USING ERRCODE = '22023';
  END IF;
  RETURN agg_key_sql(factor);
END $$;

-- Prescriptions and distinct clients by one or two dimensions, one statement: the cells
-- (grouped 0), the margins of the first (1) and second (2) dimension, and the total (3).
-- $1 sites, $2 first day, $3 last day.
CREATE FUNCTION agg_prescriptions_sql(dimensions text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  k1 text := agg_key_sql(dimensions[1]);
  k2 text := CASE WHEN cardinality(dimensions) = 2 THEN agg_key_sql(dimensions[2]) ELSE 'NULL::text' END;
  per_need boolean := 'NEED' = ANY (dimensions);
BEGIN
  IF cardinality(dimensions) NOT IN (1, 2) OR k1 IS NULL OR k2 IS NULL OR dimensions[1] = dimensions[2] THEN
    RAISE EXCEPTION 'unknown breakdown %', dimensions USING ERRCODE = '22023';
  END IF;
  RETURN format($q$
    SELECT k1, k2, grouping(k1, k2)::int AS grouped, %s AS prescriptions, count(DISTINCT "clientId") AS clients
      FROM (SELECT %s COLLATE "C" AS k1, %s COLLATE "C" AS k2, p.id COLLATE "C" AS id, p."clientId" COLLATE "C" AS "clientId"
              FROM agg_counted($1, $2, $3) p %s %s) x
     GROUP BY GROUPING SETS (%s)$q$,
    -- A prescription addressing several needs is one row per need: count it once in the margins.
    -- Ids and keys compare bytewise (COLLATE "C"): the distinct counts sort them, and order means nothing here.
    CASE WHEN per_need THEN 'count(DISTINCT id)' ELSE 'count(*)' END,
    k1, k2,
    CASE WHEN dimensions && agg_equity_factors() THEN 'JOIN "Client" c ON c."tenantId" = p.tenant AND c.id = p."clientId"' ELSE '' END,
    CASE WHEN per_need THEN 'LEFT JOIN LATERAL unnest(p.needs) AS n(need) ON true' ELSE '' END,
    CASE WHEN cardinality(dimensions) = 1 THEN '(k1, k2), ()' ELSE '(k1, k2), (k1), (k2), ()' END);
END $$;

CREATE FUNCTION agg_prescriptions(dimensions text[], date_from date, date_to date, sites text[])
  RETURNS TABLE (k1 text, k2 text, grouped int, prescriptions bigint, clients bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN QUERY EXECUTE agg_prescriptions_sql(dimensions) USING agg_scope(sites), date_from, date_to;
END $$;

-- The headline, per site (grouped 0) and in all (1): prescriptions, distinct clients, providers
-- who prescribed, programs clients were connected to, and the active Health Champions.
-- $1 sites, $2 first day, $3 last day.
CREATE FUNCTION agg_summary_sql() RETURNS text LANGUAGE sql IMMUTABLE AS $q$ SELECT $s$
    WITH counted AS (SELECT tenant, id, "clientId" COLLATE "C" AS "clientId", "prescriberId" COLLATE "C" AS "prescriberId"
                       FROM agg_counted($1, $2, $3)),
    rx AS (SELECT tenant, grouping(tenant)::int AS grouped, count(*) AS prescriptions,
                  count(DISTINCT "clientId") AS clients, count(DISTINCT "prescriberId") AS providers
             FROM counted GROUP BY GROUPING SETS ((tenant), ())),
    programs AS (SELECT p.tenant, grouping(p.tenant)::int AS grouped, count(DISTINCT i."programId" COLLATE "C") AS programs
                   FROM counted p JOIN "PrescriptionItem" i ON i."tenantId" = p.tenant AND i."prescriptionId" = p.id
                  WHERE i."programId" IS NOT NULL GROUP BY GROUPING SETS ((p.tenant), ())),
    champions AS (SELECT h."tenantId" AS tenant, grouping(h."tenantId")::int AS grouped, count(*) AS champions
                    FROM "HealthChampion" h WHERE h."tenantId" = ANY ($1) AND h.active AND h.since <= $3
                   GROUP BY GROUPING SETS ((h."tenantId"), ())),
    sites AS (SELECT unnest($1) AS tenant, 0 AS grouped UNION ALL SELECT NULL, 1)
    SELECT s.tenant AS site, s.grouped, coalesce(rx.prescriptions, 0) AS prescriptions, coalesce(rx.clients, 0) AS clients,
           coalesce(rx.providers, 0) AS providers, coalesce(programs.programs, 0) AS programs,
           coalesce(champions.champions, 0) AS health_champions
      FROM sites s
      LEFT JOIN rx ON rx.grouped = s.grouped AND rx.tenant IS NOT DISTINCT FROM s.tenant
      LEFT JOIN programs ON programs.grouped = s.grouped AND programs.tenant IS NOT DISTINCT FROM s.tenant
      LEFT JOIN champions ON champions.grouped = s.grouped AND champions.tenant IS NOT DISTINCT FROM s.tenant$s$ $q$;

CREATE FUNCTION agg_summary(date_from date, date_to date, sites text[])
  RETURNS TABLE (site text, grouped int, prescriptions bigint, clients bigint, providers bigint, programs bigint, health_champions bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN QUERY EXECUTE agg_summary_sql() USING agg_scope(sites), date_from, date_to;
END $$;

-- Outcomes per instrument, for everyone (grouped 1) and by a sociodemographic factor (grouped 0):
-- clients of the period with a baseline score and a later follow-up score (their latest), the
-- mean change, how many improved (UCLA-3 lower is better, every other scored instrument higher),
-- and for UCLA-3 how many were lonely (6 or more) at baseline and at follow-up. SWEMWBS uses its
-- metric score. ONS4 has no score and is left out. $1 sites, $2 first day, $3 last day.
CREATE FUNCTION agg_outcomes_sql(factor text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN format($q$
    WITH cohort AS (SELECT DISTINCT tenant, "clientId" FROM agg_counted($1, $2, $3)),
    scored AS (SELECT a."tenantId", a."clientId", a.instrument, a."timePoint", a."assessedAt", a.id,
                      coalesce(a."metricScore", a.score) AS score
                 FROM "OutcomeAssessment" a JOIN cohort ON cohort.tenant = a."tenantId" AND cohort."clientId" = a."clientId"
                WHERE a.score IS NOT NULL),
    baseline AS (SELECT DISTINCT ON ("tenantId", "clientId", instrument) * FROM scored
                  WHERE "timePoint" = 'BASELINE' ORDER BY "tenantId", "clientId", instrument, "assessedAt", id),
    paired AS (SELECT b."tenantId", b."clientId", b.instrument, b.score AS before, f.score AS after
                 FROM baseline b
                 JOIN LATERAL (SELECT s.score FROM scored s
                                WHERE s."tenantId" = b."tenantId" AND s."clientId" = b."clientId" AND s.instrument = b.instrument
                                  AND s."timePoint" <> 'BASELINE' AND s."assessedAt" > b."assessedAt"
                                ORDER BY s."assessedAt" DESC, s.id DESC LIMIT 1) f ON true)
    SELECT x.instrument::text AS instrument, %s AS grp, grouping(x.instrument, %s)::int AS grouped, count(*) AS clients,
           avg(x.after - x.before)::float8 AS mean_change,
           count(*) FILTER (WHERE CASE WHEN x.instrument = 'UCLA_LONELINESS_3' THEN x.after < x.before ELSE x.after > x.before END) AS improved,
           count(*) FILTER (WHERE x.instrument = 'UCLA_LONELINESS_3' AND x.before >= 6) AS lonely_before,
           count(*) FILTER (WHERE x.instrument = 'UCLA_LONELINESS_3' AND x.after >= 6) AS lonely_after
      FROM paired x JOIN "Client" c ON c."tenantId" = x."tenantId" AND c.id = x."clientId"
     GROUP BY GROUPING SETS ((x.instrument, %s), (x.instrument))$q$,
    agg_equity_key_sql(factor), agg_equity_key_sql(factor), agg_equity_key_sql(factor));
END $$;

CREATE FUNCTION agg_outcomes(factor text, date_from date, date_to date, sites text[])
  RETURNS TABLE (instrument text, grp text, grouped int, clients bigint, mean_change float8, improved bigint, lonely_before bigint, lonely_after bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN QUERY EXECUTE agg_outcomes_sql(factor) USING agg_scope(sites), date_from, date_to;
END $$;

-- Primary-care and emergency visits before and after the prescriptions of the period that have
-- both extracts, for everyone (grouped 1) and by a sociodemographic factor (grouped 0).
-- $1 sites, $2 first day, $3 last day.
CREATE FUNCTION agg_utilization_sql(factor text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN format($q$
    SELECT %s AS grp, grouping(%s)::int AS grouped, count(DISTINCT p."clientId" COLLATE "C") AS clients,
           sum(b."primaryCareVisits") AS primary_care_before, sum(a."primaryCareVisits") AS primary_care_after,
           sum(b."emergencyVisits") AS emergency_before, sum(a."emergencyVisits") AS emergency_after
      FROM agg_counted($1, $2, $3) p
      JOIN "UtilizationRecord" b ON b."tenantId" = p.tenant AND b."prescriptionId" = p.id AND b.period = 'BEFORE'
      JOIN "UtilizationRecord" a ON a."tenantId" = p.tenant AND a."prescriptionId" = p.id AND a.period = 'AFTER'
      JOIN "Client" c ON c."tenantId" = p.tenant AND c.id = p."clientId"
     GROUP BY GROUPING SETS ((%s), ())$q$,
    agg_equity_key_sql(factor), agg_equity_key_sql(factor), agg_equity_key_sql(factor));
END $$;

CREATE FUNCTION agg_utilization(factor text, date_from date, date_to date, sites text[])
  RETURNS TABLE (grp text, grouped int, clients bigint, primary_care_before bigint, primary_care_after bigint, emergency_before bigint, emergency_after bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN QUERY EXECUTE agg_utilization_sql(factor) USING agg_scope(sites), date_from, date_to;
END $$;

REVOKE EXECUTE ON FUNCTION agg_scope(text[]), agg_counted(text[], date, date), agg_key_sql(text), agg_equity_factors(), agg_equity_key_sql(text),
  agg_prescriptions_sql(text[]), agg_summary_sql(), agg_outcomes_sql(text), agg_utilization_sql(text),
  agg_prescriptions(text[], date, date, text[]), agg_summary(date, date, text[]),
  agg_outcomes(text, date, date, text[]), agg_utilization(text, date, date, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agg_prescriptions(text[], date, date, text[]), agg_summary(date, date, text[]),
  agg_outcomes(text, date, date, text[]), agg_utilization(text, date, date, text[]) TO rx_app;
