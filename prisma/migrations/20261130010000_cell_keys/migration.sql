-- Cell-key perturbation of the aggregates (issue 10). Hand-written, kept as it is.
--
-- Every counted unit (client, prescription, prescriber, program, Health Champion) carries a
-- permanent random record key, drawn when its row is made (existing rows draw theirs here). The
-- aggregate functions return, beside each count, its cell key: the sum of the record keys of the
-- units it counts, modulo 2^53, as a fraction of 2^53 (the sum modulo 1 of keys uniform on [0, 1)).
-- The same set of units always has the same cell key, whoever asks and however; the API looks the
-- perturbation up by it (src/aggregates/perturbation.ts). The request role never reads or writes a
-- record key: column privileges leave it out (a column added to these tables later must be granted
-- to rx_app by name), so only these SECURITY DEFINER functions see it.

CREATE FUNCTION agg_new_record_key() RETURNS bigint LANGUAGE sql VOLATILE SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT floor(random() * 9007199254740992)::bigint $$;

-- A volatile default is drawn afresh for every existing row as the column is added.
ALTER TABLE "Client" ADD COLUMN "recordKey" BIGINT NOT NULL DEFAULT agg_new_record_key();
ALTER TABLE "SocialPrescription" ADD COLUMN "recordKey" BIGINT NOT NULL DEFAULT agg_new_record_key();
ALTER TABLE "StaffMember" ADD COLUMN "recordKey" BIGINT NOT NULL DEFAULT agg_new_record_key();
ALTER TABLE "Program" ADD COLUMN "recordKey" BIGINT NOT NULL DEFAULT agg_new_record_key();
ALTER TABLE "HealthChampion" ADD COLUMN "recordKey" BIGINT NOT NULL DEFAULT agg_new_record_key();

DO $$
DECLARE
  t text;
  columns text;
BEGIN
  FOREACH t IN ARRAY ARRAY['Client', 'SocialPrescription', 'StaffMember', 'Program', 'HealthChampion'] LOOP
    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO columns
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name = t AND column_name <> 'recordKey';
    EXECUTE format('REVOKE SELECT, INSERT, UPDATE ON %I FROM rx_app', t);
    EXECUTE format('GRANT SELECT (%s), INSERT (%s), UPDATE (%s) ON %I TO rx_app', columns, columns, columns, t);
  END LOOP;
END $$;

-- A cell key from the sum of record keys (NULL for nobody: 0).
CREATE FUNCTION agg_cell_key(key_sum numeric) RETURNS float8 LANGUAGE sql IMMUTABLE
  AS $$ SELECT (coalesce(key_sum, 0) % 9007199254740992)::float8 / 9007199254740992 $$;

-- The languages the aggregates name (src/aggregates/dimensions.ts lists the same); any other is
-- counted under OTHER. A fixed list, so that the keys of an answer never depend on who is counted:
-- a key that appears only when someone has it says that someone does.
CREATE FUNCTION agg_languages() RETURNS text[] LANGUAGE sql IMMUTABLE
  AS $$ SELECT ARRAY['en', 'fr', 'ar', 'cr', 'es', 'fa', 'fi', 'gu', 'hi', 'it', 'oj', 'pa', 'pt', 'so', 'ta', 'ti', 'tl', 'ur', 'vi', 'zh'] $$;

-- Clients as the aggregates see them: a client with a SOCIODEMOGRAPHICS lock in force counts as
-- not having answered any sociodemographic question, for every caller.
CREATE FUNCTION agg_clients()
  RETURNS TABLE ("tenantId" text, id text, "recordKey" bigint, "ageBand" "AgeBand", "genderIdentity" "GenderIdentity",
                 "preferredLanguage" text, "incomeBand" "IncomeBand", racialized "Answer", indigenous "Answer", lgbtq2s "Answer",
                 newcomer "Answer", "livesAlone" "Answer", disability "Answer")
  LANGUAGE sql STABLE AS $$
    SELECT c."tenantId", c.id, c."recordKey",
           CASE WHEN l."clientId" IS NULL THEN c."ageBand" END, CASE WHEN l."clientId" IS NULL THEN c."genderIdentity" END,
           CASE WHEN l."clientId" IS NULL THEN c."preferredLanguage" END, CASE WHEN l."clientId" IS NULL THEN c."incomeBand" END,
           CASE WHEN l."clientId" IS NULL THEN c.racialized END, CASE WHEN l."clientId" IS NULL THEN c.indigenous END,
           CASE WHEN l."clientId" IS NULL THEN c.lgbtq2s END, CASE WHEN l."clientId" IS NULL THEN c.newcomer END,
           CASE WHEN l."clientId" IS NULL THEN c."livesAlone" END, CASE WHEN l."clientId" IS NULL THEN c.disability END
      FROM "Client" c
      LEFT JOIN (SELECT DISTINCT k."tenantId", k."clientId" FROM "ClientLock" k
                  WHERE k.category = 'SOCIODEMOGRAPHICS' AND k."releasedAt" IS NULL) l
        ON l."tenantId" = c."tenantId" AND l."clientId" = c.id
  $$;

-- The functions below return new columns (the cell keys), so they are replaced.
DROP FUNCTION agg_prescriptions(text[], date, date, text[]);
DROP FUNCTION agg_summary(date, date, text[]);
DROP FUNCTION agg_outcomes(text, date, date, text[]);
DROP FUNCTION agg_utilization(text, date, date, text[]);
DROP FUNCTION agg_counted(text[], date, date);

-- As before, with the prescription's record key and the client as the aggregates see them.
CREATE FUNCTION agg_counted(sites text[], date_from date, date_to date)
  RETURNS TABLE (tenant text, id text, "clientId" text, "prescriberId" text, needs "Need"[], "supportLevel" "SupportLevel",
                 status "ReferralStatus", outcome "ReferralOutcome", source "ReferralSource", "referredAt" timestamp(3), "recordKey" bigint)
  LANGUAGE sql STABLE AS $$
    SELECT p."tenantId", p.id, p."clientId", p."prescriberId", p.needs, p."supportLevel", p.status, p.outcome, p.source, p."referredAt", p."recordKey"
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

CREATE OR REPLACE FUNCTION agg_key_sql(dimension text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
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
    WHEN 'LANGUAGE' THEN $k$CASE WHEN c."preferredLanguage" IS NULL THEN 'NOT_RECORDED' WHEN c."preferredLanguage" = ANY (agg_languages()) THEN c."preferredLanguage" ELSE 'OTHER' END$k$
    WHEN 'INCOME_BAND' THEN $k$coalesce(c."incomeBand"::text, 'NOT_RECORDED')$k$
    WHEN 'RACIALIZED' THEN $k$coalesce(c.racialized::text, 'NOT_RECORDED')$k$
    WHEN 'INDIGENOUS' THEN $k$coalesce(c.indigenous::text, 'NOT_RECORDED')$k$
    WHEN 'LGBTQ2S' THEN $k$coalesce(c.lgbtq2s::text, 'NOT_RECORDED')$k$
    WHEN 'NEWCOMER' THEN $k$coalesce(c.newcomer::text, 'NOT_RECORDED')$k$
    WHEN 'LIVES_ALONE' THEN $k$coalesce(c."livesAlone"::text, 'NOT_RECORDED')$k$
    WHEN 'DISABILITY' THEN $k$coalesce(c.disability::text, 'NOT_RECORDED')$k$
  END $$;

-- Prescriptions and distinct clients, each with its cell key, by one or two dimensions: the cells
-- (grouped 0), the margins of the first (1) and second (2) dimension, and the total (3).
-- $1 sites, $2 first day, $3 last day.
CREATE OR REPLACE FUNCTION agg_prescriptions_sql(dimensions text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  k1 text := agg_key_sql(dimensions[1]);
  k2 text := CASE WHEN cardinality(dimensions) = 2 THEN agg_key_sql(dimensions[2]) ELSE 'NULL::text' END;
  per_need boolean := 'NEED' = ANY (dimensions);
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
    -- A prescription addressing several needs is one row per need: count it once in the margins.
    -- Record keys are 53 random bits, so two units sharing one is not to be expected: a distinct sum is the sum over units.
    CASE WHEN per_need THEN 'count(DISTINCT id)' ELSE 'count(*)' END,
    CASE WHEN per_need THEN 'sum(DISTINCT prescription_key)' ELSE 'sum(prescription_key)' END,
    k1, k2,
    CASE WHEN per_need THEN 'LEFT JOIN LATERAL unnest(p.needs) AS n(need) ON true' ELSE '' END,
    CASE WHEN cardinality(dimensions) = 1 THEN '(k1, k2), ()' ELSE '(k1, k2), (k1), (k2), ()' END);
END $$;

CREATE FUNCTION agg_prescriptions(dimensions text[], date_from date, date_to date, sites text[])
  RETURNS TABLE (k1 text, k2 text, grouped int, prescriptions bigint, prescription_key float8, clients bigint, client_key float8)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE agg_prescriptions_sql(dimensions) USING agg_scope(sites), date_from, date_to;
END $$;

-- The headline with a cell key beside each count. $1 sites, $2 first day, $3 last day.
CREATE OR REPLACE FUNCTION agg_summary_sql() RETURNS text LANGUAGE sql IMMUTABLE AS $q$ SELECT $s$
    WITH counted AS (SELECT p.tenant, p.id, p."clientId" COLLATE "C" AS "clientId", p."prescriberId" COLLATE "C" AS "prescriberId",
                            p."recordKey" AS prescription_key, c."recordKey" AS client_key, s."recordKey" AS prescriber_key
                       FROM agg_counted($1, $2, $3) p
                       JOIN "Client" c ON c."tenantId" = p.tenant AND c.id = p."clientId"
                       LEFT JOIN "StaffMember" s ON s."tenantId" = p.tenant AND s.id = p."prescriberId"),
    rx AS (SELECT tenant, grouping(tenant)::int AS grouped, count(*) AS prescriptions, agg_cell_key(sum(prescription_key)) AS prescription_key,
                  count(DISTINCT "clientId") AS clients, agg_cell_key(sum(DISTINCT client_key)) AS client_key,
                  count(DISTINCT "prescriberId") AS providers, agg_cell_key(sum(DISTINCT prescriber_key)) AS provider_key
             FROM counted GROUP BY GROUPING SETS ((tenant), ())),
    programs AS (SELECT p.tenant, grouping(p.tenant)::int AS grouped, count(DISTINCT i."programId" COLLATE "C") AS programs,
                        agg_cell_key(sum(DISTINCT g."recordKey")) AS program_key
                   FROM counted p JOIN "PrescriptionItem" i ON i."tenantId" = p.tenant AND i."prescriptionId" = p.id
                   JOIN "Program" g ON g.id = i."programId"
                  GROUP BY GROUPING SETS ((p.tenant), ())),
    champions AS (SELECT h."tenantId" AS tenant, grouping(h."tenantId")::int AS grouped, count(*) AS champions,
                         agg_cell_key(sum(h."recordKey")) AS champion_key
                    FROM "HealthChampion" h WHERE h."tenantId" = ANY ($1) AND h.active AND h.since <= $3
                   GROUP BY GROUPING SETS ((h."tenantId"), ())),
    sites AS (SELECT unnest($1) AS tenant, 0 AS grouped UNION ALL SELECT NULL, 1)
    SELECT s.tenant AS site, s.grouped,
           coalesce(rx.prescriptions, 0) AS prescriptions, coalesce(rx.prescription_key, 0) AS prescription_key,
           coalesce(rx.clients, 0) AS clients, coalesce(rx.client_key, 0) AS client_key,
           coalesce(rx.providers, 0) AS providers, coalesce(rx.provider_key, 0) AS provider_key,
           coalesce(programs.programs, 0) AS programs, coalesce(programs.program_key, 0) AS program_key,
           coalesce(champions.champions, 0) AS health_champions, coalesce(champions.champion_key, 0) AS champion_key
      FROM sites s
      LEFT JOIN rx ON rx.grouped = s.grouped AND rx.tenant IS NOT DISTINCT FROM s.tenant
      LEFT JOIN programs ON programs.grouped = s.grouped AND programs.tenant IS NOT DISTINCT FROM s.tenant
      LEFT JOIN champions ON champions.grouped = s.grouped AND champions.tenant IS NOT DISTINCT FROM s.tenant$s$ $q$;

CREATE FUNCTION agg_summary(date_from date, date_to date, sites text[])
  RETURNS TABLE (site text, grouped int, prescriptions bigint, prescription_key float8, clients bigint, client_key float8,
                 providers bigint, provider_key float8, programs bigint, program_key float8, health_champions bigint, champion_key float8)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE agg_summary_sql() USING agg_scope(sites), date_from, date_to;
END $$;

-- Outcomes as before, each count of people with its cell key (the clients with both scores, those
-- who improved, those lonely before and after), and the sum of the changes with the largest change
-- in absolute value, for the magnitude perturbation of the mean. $1 sites, $2 first day, $3 last day.
CREATE OR REPLACE FUNCTION agg_outcomes_sql(factor text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN format($q$
    WITH cohort AS (SELECT DISTINCT tenant, "clientId" FROM agg_counted($1, $2, $3)),
    scored AS (SELECT a."tenantId", a."clientId", a.instrument, a."timePoint", a."assessedAt", a.id,
                      coalesce(a."metricScore", a.score) AS score
                 FROM "OutcomeAssessment" a JOIN cohort ON cohort.tenant = a."tenantId" AND cohort."clientId" = a."clientId"
                WHERE a.score IS NOT NULL),
    baseline AS (SELECT DISTINCT ON ("tenantId", "clientId", instrument) * FROM scored
                  WHERE "timePoint" = 'BASELINE' ORDER BY "tenantId", "clientId", instrument, "assessedAt", id),
    paired AS (SELECT b."tenantId", b."clientId", b.instrument, b.score AS before, f.score AS after,
                      CASE WHEN b.instrument = 'UCLA_LONELINESS_3' THEN f.score < b.score ELSE f.score > b.score END AS improved
                 FROM baseline b
                 JOIN LATERAL (SELECT s.score FROM scored s
                                WHERE s."tenantId" = b."tenantId" AND s."clientId" = b."clientId" AND s.instrument = b.instrument
                                  AND s."timePoint" <> 'BASELINE' AND s."assessedAt" > b."assessedAt"
                                ORDER BY s."assessedAt" DESC, s.id DESC LIMIT 1) f ON true)
    SELECT x.instrument::text AS instrument, %s AS grp, grouping(x.instrument, %s)::int AS grouped,
           count(*) AS clients, agg_cell_key(sum(c."recordKey")) AS client_key,
           sum(x.after - x.before)::float8 AS sum_change, max(abs(x.after - x.before))::float8 AS max_change,
           count(*) FILTER (WHERE x.improved) AS improved, agg_cell_key(sum(c."recordKey") FILTER (WHERE x.improved)) AS improved_key,
           count(*) FILTER (WHERE x.instrument = 'UCLA_LONELINESS_3' AND x.before >= 6) AS lonely_before,
           agg_cell_key(sum(c."recordKey") FILTER (WHERE x.instrument = 'UCLA_LONELINESS_3' AND x.before >= 6)) AS lonely_before_key,
           count(*) FILTER (WHERE x.instrument = 'UCLA_LONELINESS_3' AND x.after >= 6) AS lonely_after,
           agg_cell_key(sum(c."recordKey") FILTER (WHERE x.instrument = 'UCLA_LONELINESS_3' AND x.after >= 6)) AS lonely_after_key
      FROM paired x JOIN agg_clients() c ON c."tenantId" = x."tenantId" AND c.id = x."clientId"
     GROUP BY GROUPING SETS ((x.instrument, %s), (x.instrument))$q$,
    agg_equity_key_sql(factor), agg_equity_key_sql(factor), agg_equity_key_sql(factor));
END $$;

CREATE FUNCTION agg_outcomes(factor text, date_from date, date_to date, sites text[])
  RETURNS TABLE (instrument text, grp text, grouped int, clients bigint, client_key float8, sum_change float8, max_change float8,
                 improved bigint, improved_key float8, lonely_before bigint, lonely_before_key float8, lonely_after bigint, lonely_after_key float8)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE agg_outcomes_sql(factor) USING agg_scope(sites), date_from, date_to;
END $$;

-- Visits as before, with the clients' cell key, and for the visit sums the prescriptions' cell key
-- and the largest single count of visits (the magnitude perturbation's scale).
-- $1 sites, $2 first day, $3 last day.
CREATE OR REPLACE FUNCTION agg_utilization_sql(factor text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN format($q$
    SELECT %s AS grp, grouping(%s)::int AS grouped,
           count(DISTINCT p."clientId" COLLATE "C") AS clients, agg_cell_key(sum(DISTINCT c."recordKey")) AS client_key,
           agg_cell_key(sum(p."recordKey")) AS visits_key,
           sum(b."primaryCareVisits") AS primary_care_before, sum(a."primaryCareVisits") AS primary_care_after,
           sum(b."emergencyVisits") AS emergency_before, sum(a."emergencyVisits") AS emergency_after,
           greatest(max(b."primaryCareVisits"), max(a."primaryCareVisits")) AS primary_care_max,
           greatest(max(b."emergencyVisits"), max(a."emergencyVisits")) AS emergency_max
      FROM agg_counted($1, $2, $3) p
      JOIN "UtilizationRecord" b ON b."tenantId" = p.tenant AND b."prescriptionId" = p.id AND b.period = 'BEFORE'
      JOIN "UtilizationRecord" a ON a."tenantId" = p.tenant AND a."prescriptionId" = p.id AND a.period = 'AFTER'
      JOIN agg_clients() c ON c."tenantId" = p.tenant AND c.id = p."clientId"
     GROUP BY GROUPING SETS ((%s), ())$q$,
    agg_equity_key_sql(factor), agg_equity_key_sql(factor), agg_equity_key_sql(factor));
END $$;

CREATE FUNCTION agg_utilization(factor text, date_from date, date_to date, sites text[])
  RETURNS TABLE (grp text, grouped int, clients bigint, client_key float8, visits_key float8, primary_care_before bigint, primary_care_after bigint,
                 emergency_before bigint, emergency_after bigint, primary_care_max int, emergency_max int)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE agg_utilization_sql(factor) USING agg_scope(sites), date_from, date_to;
END $$;

REVOKE EXECUTE ON FUNCTION agg_cell_key(numeric), agg_languages(), agg_clients(), agg_counted(text[], date, date),
  agg_prescriptions(text[], date, date, text[]), agg_summary(date, date, text[]),
  agg_outcomes(text, date, date, text[]), agg_utilization(text, date, date, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION agg_prescriptions(text[], date, date, text[]), agg_summary(date, date, text[]),
  agg_outcomes(text, date, date, text[]), agg_utilization(text, date, date, text[]) TO rx_app;
-- Column defaults run as the inserting role.
GRANT EXECUTE ON FUNCTION agg_new_record_key() TO rx_app;
