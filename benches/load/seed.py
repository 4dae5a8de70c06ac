#!/usr/bin/env python3
"""Seed a migrated Neighbourly SQLite file with N approved helpers spread over Greater London,
all free every day, for the load test. Usage: seed.py DB_FILE N PASSWORD_HASH"""
import json, random, sqlite3, sys, uuid

db, n, password_hash = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(42)
conn = sqlite3.connect(db)
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
availability = json.dumps({"timezone": "Europe/London",
                           "weekly": [{"day": d, "start": "00:00", "end": "24:00"} for d in days],
                           "time_off": []})
skills = ["shopping", "gardening", "diy", "cleaning", "it_help", "companionship", "transport", "paperwork", "other"]
rows_u, rows_h = [], []
for i in range(n):
    uid = str(uuid.uuid4())
    lat, lon = random.uniform(51.28, 51.70), random.uniform(-0.51, 0.33)
    km = random.uniform(1.0, 5.0)
    dlat = km / 110.574 * 1.01
    dlon = km / (111.320 * 0.62) * 1.01
    mine = ",".join(random.sample(skills, random.randint(1, 3)))
    rows_u.append((uid, "helper", f"Load Helper {i}", f"load-helper-{i}@example.org", None, password_hash,
                   "2026-01-01 00:00:00"))
    rows_h.append((uid, lat, lon, km, "," + mine + ",", "approved", "2030-01-01", None, None,
                   "2026-01-02 00:00:00", availability, lat - dlat, lat + dlat, lon - dlon, lon + dlon))
conn.executemany("INSERT INTO users VALUES (?,?,?,?,?,?,?)", rows_u)
conn.executemany("INSERT INTO helpers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows_h)
conn.commit()
print(f"seeded {n} helpers")
