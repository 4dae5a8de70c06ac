#!/usr/bin/env python3
"""Seed a migrated Neighbourly SQLite file with N approved helpers spread over Greater London,
all free every day, for the load test. Usage: seed.py DB_FILE N PASSWORD_HASH

The helpers go in through the helpers table, so the triggers keep the spatial index as the
service does."""
import json, random, sqlite3, sys, uuid

db, n, password_hash = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(42)
# The server runs beside the seeding: its sweep (and a checkpoint of the seeding's large WAL) may
# hold the write lock for a while.
conn = sqlite3.connect(db, timeout=120)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = OFF")
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
availability = json.dumps({"timezone": "Europe/London",
                           "weekly": [{"day": d, "start": "00:00", "end": "24:00"} for d in days],
                           "time_off": []})
skills = ["shopping", "gardening", "diy", "cleaning", "it_help", "companionship", "transport", "paperwork", "other"]


def rows(start, end):
    users, helpers = [], []
    for i in range(start, end):
        uid = str(uuid.uuid4())
        lat, lon = random.uniform(51.28, 51.70), random.uniform(-0.51, 0.33)
        km = random.uniform(1.0, 5.0)
        dlat = km / 110.574 * 1.01
        dlon = km / (111.320 * 0.62) * 1.01
        mine = ",".join(random.sample(skills, random.randint(1, 3)))
        users.append((uid, "helper", f"Load Helper {i}", f"load-helper-{i}@example.org", None,
                      password_hash, "2026-01-01 00:00:00"))
        helpers.append((uid, lat, lon, km, "," + mine + ",", "approved", "2030-01-01", None, None,
                        "2026-01-02 00:00:00", availability, lat - dlat, lat + dlat, lon - dlon,
                        lon + dlon))
    return users, helpers


for start in range(0, n, 100_000):
    users, helpers = rows(start, min(n, start + 100_000))
    conn.executemany("INSERT INTO users (id, role, name, email, phone, password_hash, created_at) "
                     "VALUES (?,?,?,?,?,?,?)", users)
    conn.executemany("INSERT INTO helpers (user_id, home_lat, home_lon, max_distance_km, skills, "
                     "vetting_status, vetting_expires_on, vetting_note, vetted_by, vetted_at, "
                     "availability, reach_min_lat, reach_max_lat, reach_min_lon, reach_max_lon) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", helpers)
    conn.commit()
conn.execute("ANALYZE")
conn.commit()
print(f"seeded {n} helpers")
