-- Seed :n approved helpers spread over Greater London, free every day, for the load test.
-- psql -v n=1000 -v hash="'...'" -f seed_postgres.sql
SELECT setseed(0.42);
CREATE TEMP TABLE seed AS
SELECT i,
       gen_random_uuid()::text AS id,
       51.28 + random() * 0.42 AS lat,
       -0.51 + random() * 0.84 AS lon,
       1.0 + random() * 4.0 AS km,
       (ARRAY['shopping','gardening','diy','cleaning','it_help','companionship','transport','paperwork','other'])[1 + (i % 9)] AS s1,
       (ARRAY['shopping','gardening','diy','cleaning','it_help','companionship','transport','paperwork','other'])[1 + ((i * 7) % 9)] AS s2
FROM generate_series(1, :n) AS i;
-- In key order: each B-tree on the ids fills its pages one after another rather than at random
-- pages (1M helpers: 62 s -> 54 s).
INSERT INTO users (id, role, name, email, phone, password_hash, created_at)
SELECT id, 'helper', 'Load Helper ' || i, 'load-helper-' || i || '@example.org', NULL, :hash, '2026-01-01'
FROM seed ORDER BY id;
INSERT INTO helpers (user_id, home_lat, home_lon, max_distance_km, skills, vetting_status, vetting_expires_on,
                     vetting_note, vetted_by, vetted_at, availability,
                     reach_min_lat, reach_max_lat, reach_min_lon, reach_max_lon)
SELECT id, lat, lon, km, ',' || s1 || ',' || s2 || ',', 'approved', '2030-01-01', NULL, NULL, '2026-01-02',
       '{"timezone":"Europe/London","weekly":[{"day":"mon","start":"00:00","end":"24:00"},{"day":"tue","start":"00:00","end":"24:00"},{"day":"wed","start":"00:00","end":"24:00"},{"day":"thu","start":"00:00","end":"24:00"},{"day":"fri","start":"00:00","end":"24:00"},{"day":"sat","start":"00:00","end":"24:00"},{"day":"sun","start":"00:00","end":"24:00"}],"time_off":[]}',
       lat - km / 110.574 * 1.01, lat + km / 110.574 * 1.01,
       lon - km / (111.320 * 0.62) * 1.01, lon + km / (111.320 * 0.62) * 1.01
FROM seed ORDER BY id;
-- As after any bulk import: the visibility map lets the reach lookups be index-only scans.
VACUUM ANALYZE;
