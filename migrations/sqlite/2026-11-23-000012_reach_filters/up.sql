-- The reach R*Tree gets a third dimension, the skill: one entry per approved, active helper and
-- skill (its id is the helper's key × 16 + the skill's code), so that finding who can reach a
-- place with a skill reads only the entries that answer, from the index's own nodes, however
-- many helpers there are. A helper's home is the centre of their reach box, so ranking orders
-- helpers by distance without reading their rows, and names only those it goes on to weigh.
-- Triggers keep the entries in the same transaction as every change to a helper (home, reach,
-- skills, vetting) and to their account's deactivation.
DROP TRIGGER helper_reach_insert;
DROP TRIGGER helper_reach_update;
DROP TRIGGER helper_reach_delete;
DROP TABLE helper_reach_rtree;

-- The skills' codes: each category's position in the domain's list (a test checks they agree).
CREATE TABLE helper_reach_skills (
    word TEXT PRIMARY KEY NOT NULL,
    code INTEGER NOT NULL UNIQUE
);
INSERT INTO helper_reach_skills (word, code) VALUES
    ('shopping', 0), ('gardening', 1), ('diy', 2), ('cleaning', 3), ('it_help', 4),
    ('companionship', 5), ('transport', 6), ('paperwork', 7), ('other', 8);

CREATE VIRTUAL TABLE helper_reach_rtree USING rtree (
    id, min_lat, max_lat, min_lon, max_lon, min_skill, max_skill
);

INSERT INTO helper_reach_rtree
    SELECT k.id * 16 + s.code, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon,
           s.code, s.code
    FROM helpers h
    JOIN helper_reach_keys k ON k.user_id = h.user_id
    JOIN users u ON u.id = h.user_id
    JOIN helper_reach_skills s ON instr(h.skills, ',' || s.word || ',') > 0
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL;

CREATE TRIGGER helper_reach_insert AFTER INSERT ON helpers BEGIN
    INSERT INTO helper_reach_keys (user_id) VALUES (new.user_id);
    INSERT INTO helper_reach_rtree
        SELECT k.id * 16 + s.code, new.reach_min_lat, new.reach_max_lat,
               new.reach_min_lon, new.reach_max_lon, s.code, s.code
        FROM helper_reach_keys k, helper_reach_skills s
        WHERE k.user_id = new.user_id AND new.vetting_status = 'approved'
          AND instr(new.skills, ',' || s.word || ',') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
END;

CREATE TRIGGER helper_reach_update AFTER UPDATE ON helpers BEGIN
    DELETE FROM helper_reach_rtree WHERE id IN (
        SELECT k.id * 16 + s.code FROM helper_reach_keys k, helper_reach_skills s
        WHERE k.user_id = new.user_id);
    INSERT INTO helper_reach_rtree
        SELECT k.id * 16 + s.code, new.reach_min_lat, new.reach_max_lat,
               new.reach_min_lon, new.reach_max_lon, s.code, s.code
        FROM helper_reach_keys k, helper_reach_skills s
        WHERE k.user_id = new.user_id AND new.vetting_status = 'approved'
          AND instr(new.skills, ',' || s.word || ',') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
END;

CREATE TRIGGER helper_reach_active AFTER UPDATE OF deactivated_at ON users BEGIN
    DELETE FROM helper_reach_rtree WHERE id IN (
        SELECT k.id * 16 + s.code FROM helper_reach_keys k, helper_reach_skills s
        WHERE k.user_id = new.id);
    INSERT INTO helper_reach_rtree
        SELECT k.id * 16 + s.code, h.reach_min_lat, h.reach_max_lat,
               h.reach_min_lon, h.reach_max_lon, s.code, s.code
        FROM helpers h, helper_reach_keys k, helper_reach_skills s
        WHERE h.user_id = new.id AND k.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',' || s.word || ',') > 0;
END;

CREATE TRIGGER helper_reach_delete AFTER DELETE ON helpers BEGIN
    DELETE FROM helper_reach_rtree WHERE id IN (
        SELECT k.id * 16 + s.code FROM helper_reach_keys k, helper_reach_skills s
        WHERE k.user_id = old.user_id);
    DELETE FROM helper_reach_keys WHERE user_id = old.user_id;
END;
