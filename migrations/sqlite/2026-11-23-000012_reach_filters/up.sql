-- One R*Tree of reach boxes per skill (`helper_reach_s0` … `helper_reach_s8`, numbered by the
-- skill's place in `helper_reach_skills`), holding only approved, active helpers, so that finding
-- who can reach a place with a skill reads only the entries that answer, from the index's own
-- nodes, however many helpers there are. A helper's home is the centre of their reach box, so
-- ranking orders helpers by distance without reading their rows, and names only those it goes on
-- to weigh. Triggers keep the trees in the same transaction as every change to a helper (home,
-- reach, skills, vetting) and to their account's deactivation.
DROP TRIGGER helper_reach_insert;
DROP TRIGGER helper_reach_update;
DROP TRIGGER helper_reach_delete;
DROP TABLE helper_reach_rtree;

-- The skills' codes: each category's place in the domain's list (a test checks they agree).
CREATE TABLE helper_reach_skills (
    word TEXT PRIMARY KEY NOT NULL,
    code INTEGER NOT NULL UNIQUE
);
INSERT INTO helper_reach_skills (word, code) VALUES
    ('shopping', 0), ('gardening', 1), ('diy', 2), ('cleaning', 3), ('it_help', 4),
    ('companionship', 5), ('transport', 6), ('paperwork', 7), ('other', 8);

CREATE VIRTUAL TABLE helper_reach_s0 USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE helper_reach_s1 USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE helper_reach_s2 USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE helper_reach_s3 USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE helper_reach_s4 USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE helper_reach_s5 USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE helper_reach_s6 USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE helper_reach_s7 USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE helper_reach_s8 USING rtree (id, min_lat, max_lat, min_lon, max_lon);

INSERT INTO helper_reach_s0
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',shopping,') > 0;
INSERT INTO helper_reach_s1
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',gardening,') > 0;
INSERT INTO helper_reach_s2
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',diy,') > 0;
INSERT INTO helper_reach_s3
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',cleaning,') > 0;
INSERT INTO helper_reach_s4
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',it_help,') > 0;
INSERT INTO helper_reach_s5
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',companionship,') > 0;
INSERT INTO helper_reach_s6
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',transport,') > 0;
INSERT INTO helper_reach_s7
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',paperwork,') > 0;
INSERT INTO helper_reach_s8
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id JOIN users u ON u.id = h.user_id
    WHERE h.vetting_status = 'approved' AND u.deactivated_at IS NULL AND instr(h.skills, ',other,') > 0;

CREATE TRIGGER helper_reach_insert AFTER INSERT ON helpers BEGIN
    INSERT INTO helper_reach_keys (user_id) VALUES (new.user_id);
    INSERT INTO helper_reach_s0
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',shopping,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s1
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',gardening,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s2
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',diy,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s3
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',cleaning,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s4
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',it_help,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s5
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',companionship,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s6
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',transport,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s7
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',paperwork,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s8
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',other,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
END;

CREATE TRIGGER helper_reach_update AFTER UPDATE ON helpers BEGIN
    DELETE FROM helper_reach_s0 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    DELETE FROM helper_reach_s1 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    DELETE FROM helper_reach_s2 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    DELETE FROM helper_reach_s3 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    DELETE FROM helper_reach_s4 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    DELETE FROM helper_reach_s5 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    DELETE FROM helper_reach_s6 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    DELETE FROM helper_reach_s7 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    DELETE FROM helper_reach_s8 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
    INSERT INTO helper_reach_s0
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',shopping,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s1
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',gardening,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s2
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',diy,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s3
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',cleaning,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s4
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',it_help,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s5
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',companionship,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s6
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',transport,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s7
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',paperwork,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
    INSERT INTO helper_reach_s8
        SELECT k.id, new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon
        FROM helper_reach_keys k WHERE k.user_id = new.user_id
          AND new.vetting_status = 'approved' AND instr(new.skills, ',other,') > 0
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = new.user_id AND u.deactivated_at IS NOT NULL);
END;

CREATE TRIGGER helper_reach_active AFTER UPDATE OF deactivated_at ON users BEGIN
    DELETE FROM helper_reach_s0 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    DELETE FROM helper_reach_s1 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    DELETE FROM helper_reach_s2 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    DELETE FROM helper_reach_s3 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    DELETE FROM helper_reach_s4 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    DELETE FROM helper_reach_s5 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    DELETE FROM helper_reach_s6 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    DELETE FROM helper_reach_s7 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    DELETE FROM helper_reach_s8 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
    INSERT INTO helper_reach_s0
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',shopping,') > 0;
    INSERT INTO helper_reach_s1
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',gardening,') > 0;
    INSERT INTO helper_reach_s2
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',diy,') > 0;
    INSERT INTO helper_reach_s3
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',cleaning,') > 0;
    INSERT INTO helper_reach_s4
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',it_help,') > 0;
    INSERT INTO helper_reach_s5
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',companionship,') > 0;
    INSERT INTO helper_reach_s6
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',transport,') > 0;
    INSERT INTO helper_reach_s7
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',paperwork,') > 0;
    INSERT INTO helper_reach_s8
        SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
        FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id
        WHERE h.user_id = new.id AND new.deactivated_at IS NULL
          AND h.vetting_status = 'approved' AND instr(h.skills, ',other,') > 0;
END;

CREATE TRIGGER helper_reach_delete AFTER DELETE ON helpers BEGIN
    DELETE FROM helper_reach_s0 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_s1 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_s2 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_s3 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_s4 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_s5 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_s6 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_s7 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_s8 WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_keys WHERE user_id = old.user_id;
END;
