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
DROP TABLE helper_reach_skills;
CREATE VIRTUAL TABLE helper_reach_rtree USING rtree (id, min_lat, max_lat, min_lon, max_lon);
INSERT INTO helper_reach_rtree
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon
    FROM helpers h JOIN helper_reach_keys k ON k.user_id = h.user_id;
CREATE TRIGGER helper_reach_insert AFTER INSERT ON helpers BEGIN
    INSERT INTO helper_reach_keys (user_id) VALUES (new.user_id);
    INSERT INTO helper_reach_rtree VALUES (
        (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id),
        new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon);
END;
CREATE TRIGGER helper_reach_update
AFTER UPDATE OF reach_min_lat, reach_max_lat, reach_min_lon, reach_max_lon ON helpers BEGIN
    UPDATE helper_reach_rtree
    SET min_lat = new.reach_min_lat, max_lat = new.reach_max_lat,
        min_lon = new.reach_min_lon, max_lon = new.reach_max_lon
    WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
END;
CREATE TRIGGER helper_reach_delete AFTER DELETE ON helpers BEGIN
    DELETE FROM helper_reach_rtree WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_keys WHERE user_id = old.user_id;
END;
