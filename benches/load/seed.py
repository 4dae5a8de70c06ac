#!/usr/bin/env python3
"""Seed a migrated Neighbourly SQLite file with N approved helpers spread over Greater London,
all free every day, for the load test. Usage: seed.py DB_FILE N PASSWORD_HASH

The rows are made in SQL, a quarter of a million at a time, each batch in one transaction. The
spatial index (one R*Tree per skill, of reach boxes and homes) is filled for the batch in bulk, in an order that keeps
neighbours together, rather than row by row by its insert trigger: the trigger is set aside inside
the transaction and put back, as it was, before the commit, so no other connection ever sees the
tables without it. At the end each tree's size is checked."""
import sqlite3, sys

db, n, password_hash = sys.argv[1], int(sys.argv[2]), sys.argv[3]
BATCH = 250_000
# The server runs beside the seeding: its sweep (and a checkpoint of the seeding's large WAL) may
# hold the write lock for a while.
conn = sqlite3.connect(db, timeout=120, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = OFF")
conn.execute("PRAGMA cache_size = -1000000")
conn.execute("PRAGMA temp_store = MEMORY")
availability = ('{"timezone":"Europe/London","weekly":['
                + ",".join(f'{{"day":"{d}","start":"00:00","end":"24:00"}}'
                           for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
                + '],"time_off":[]}')
skills = conn.execute("SELECT word, code FROM helper_reach_skills ORDER BY code").fetchall()
words = "(" + ",".join(f"'{w}'" for w, _ in skills) + ")"
# A helper's reach box (the same expression for the row and for its index entries).
BOX = ("s.lat - s.km / 110.574 * 1.01, s.lat + s.km / 110.574 * 1.01, "
       "s.lon - s.km / (111.320 * 0.62) * 1.01, s.lon + s.km / (111.320 * 0.62) * 1.01")
# A uniform number in [0, 1) from SQLite's 64-bit random().
U = "(random() / 18446744073709551616.0 + 0.5)"

# How many each tree should hold at the end: what it holds now, and the new helpers with the skill.
expected = [conn.execute(f"SELECT count(*) FROM helper_reach_s{code}").fetchone()[0]
            for _, code in skills]
for start in range(0, n, BATCH):
    end = min(n, start + BATCH)
    conn.execute("BEGIN IMMEDIATE")
    (trigger,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'helper_reach_insert'").fetchone()
    conn.execute("DROP TRIGGER helper_reach_insert")
    # One to three different skills, a reach of 1 to 5 km, a home anywhere over Greater London.
    conn.execute(f"""
        CREATE TEMP TABLE seed AS
        WITH RECURSIVE k(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM k WHERE i < {end - 1}),
        r AS MATERIALIZED (SELECT i, lower(hex(randomblob(16))) AS h, 51.28 + {U} * 0.42 AS lat,
                     -0.51 + {U} * 0.84 AS lon, 1.0 + {U} * 4.0 AS km,
                     abs(random()) % 9 AS a, abs(random()) % 8 AS b, abs(random()) % 7 AS c,
                     abs(random()) % 3 AS more
              FROM k)
        SELECT i, substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a'
                  || substr(h, 18, 3) || '-' || substr(h, 21, 12) AS id,
               lat, lon, km, a AS s1, (a + 1 + b) % 9 AS s2, (a + 1 + b + 1 + c) % 9 AS s3, more
        FROM r""")
    conn.execute(f"""
        CREATE TEMP TABLE seed_skills AS
        SELECT s.*, ',' || json_extract(w.words, '$[' || s.s1 || ']') || ','
               || CASE WHEN more >= 1 THEN json_extract(w.words, '$[' || s.s2 || ']') || ',' ELSE '' END
               || CASE WHEN more >= 2 AND s3 <> s1 THEN json_extract(w.words, '$[' || s.s3 || ']') || ','
                       ELSE '' END AS skills
        FROM seed s, (SELECT json_array{words} AS words) w""")
    conn.execute("""
        INSERT INTO users (id, role, name, email, phone, password_hash, created_at)
        SELECT id, 'helper', 'Load Helper ' || i, 'load-helper-' || i || '@example.org', NULL, ?,
               '2026-01-01 00:00:00'
        FROM seed_skills ORDER BY id""", (password_hash,))
    conn.execute(f"""
        INSERT INTO helpers (user_id, home_lat, home_lon, max_distance_km, skills, vetting_status,
                             vetting_expires_on, vetting_note, vetted_by, vetted_at, availability,
                             reach_min_lat, reach_max_lat, reach_min_lon, reach_max_lon)
        SELECT id, lat, lon, km, skills, 'approved', '2030-01-01', NULL, NULL, '2026-01-02 00:00:00', ?,
               {BOX}
        FROM seed_skills s ORDER BY id""", (availability,))
    conn.execute("INSERT INTO helper_reach_keys (user_id) SELECT id FROM seed_skills ORDER BY i")
    # What the trigger would have done for these (approved, active) helpers, a tree at a time, in
    # rows of 1 km running back and forth across the city.
    for word, code in skills:
        conn.execute(f"""
            INSERT INTO helper_reach_s{code}
            SELECT k.id, {BOX}, s.lat, s.lat, s.lon, s.lon
            FROM seed_skills s JOIN helper_reach_keys k ON k.user_id = s.id
            WHERE instr(s.skills, ',{word},') > 0
            ORDER BY CAST(s.lat * 100 AS INTEGER),
                     CASE CAST(s.lat * 100 AS INTEGER) % 2 WHEN 0 THEN s.lon ELSE -s.lon END""")
    for j, (word, _) in enumerate(skills):
        expected[j] += conn.execute(
            f"SELECT count(*) FROM seed_skills WHERE instr(skills, ',{word},') > 0").fetchone()[0]
    conn.execute(trigger)
    conn.execute("DROP TABLE temp.seed")
    conn.execute("DROP TABLE temp.seed_skills")
    conn.execute("COMMIT")

for (word, code), want in zip(skills, expected):
    (indexed,) = conn.execute(f"SELECT count(*) FROM helper_reach_s{code}").fetchone()
    if indexed != want:
        sys.exit(f"the {word} tree holds {indexed} helpers, not {want}")
conn.execute("PRAGMA analysis_limit = 1000")
conn.execute("ANALYZE")
# The seeding's log copied into the file before the test, as a Circle's helpers are not all
# written the moment before its busiest hour: otherwise the first test measures that copy.
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(f"seeded {n} helpers")
