DROP TRIGGER helper_reach_delete;
DROP TRIGGER helper_reach_active;
DROP TRIGGER helper_reach_update;
DROP TRIGGER helper_reach_insert;
DROP TABLE helper_reach_s0;
DROP TABLE helper_reach_s1;
DROP TABLE helper_reach_s2;
DROP TABLE helper_reach_s3;
DROP TABLE helper_reach_s4;
DROP TABLE helper_reach_s5;
DROP TABLE helper_reach_s6;
DROP TABLE helper_reach_s7;
DROP TABLE helper_reach_s8;

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
