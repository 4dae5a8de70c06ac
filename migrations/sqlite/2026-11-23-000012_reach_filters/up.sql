-- The reach R*Tree also carries what finding candidates filters and orders on (each helper's id,
-- home, reach, skills, whether approved and whether active), so that the query reads only the
-- index: no join to helpers or users for each of the thousands of boxes that hold a place when
-- there are a million helpers. Triggers keep it in the same transaction as every change to a
-- helper or to their account's deactivation.
DROP TRIGGER helper_reach_insert;
DROP TRIGGER helper_reach_update;
DROP TRIGGER helper_reach_delete;
DROP TABLE helper_reach_rtree;

CREATE VIRTUAL TABLE helper_reach_rtree USING rtree (
    id, min_lat, max_lat, min_lon, max_lon,
    +user_id, +home_lat, +home_lon, +max_distance_km, +skills, +approved, +active
);

INSERT INTO helper_reach_rtree
    SELECT k.id, h.reach_min_lat, h.reach_max_lat, h.reach_min_lon, h.reach_max_lon,
           h.user_id, h.home_lat, h.home_lon, h.max_distance_km, h.skills,
           h.vetting_status = 'approved', u.deactivated_at IS NULL
    FROM helpers h
    JOIN helper_reach_keys k ON k.user_id = h.user_id
    JOIN users u ON u.id = h.user_id;

CREATE TRIGGER helper_reach_insert AFTER INSERT ON helpers BEGIN
    INSERT INTO helper_reach_keys (user_id) VALUES (new.user_id);
    INSERT INTO helper_reach_rtree VALUES (
        (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id),
        new.reach_min_lat, new.reach_max_lat, new.reach_min_lon, new.reach_max_lon,
        new.user_id, new.home_lat, new.home_lon, new.max_distance_km, new.skills,
        new.vetting_status = 'approved',
        coalesce((SELECT deactivated_at IS NULL FROM users WHERE id = new.user_id), 1));
END;

CREATE TRIGGER helper_reach_update AFTER UPDATE ON helpers BEGIN
    UPDATE helper_reach_rtree
    SET min_lat = new.reach_min_lat, max_lat = new.reach_max_lat,
        min_lon = new.reach_min_lon, max_lon = new.reach_max_lon,
        home_lat = new.home_lat, home_lon = new.home_lon,
        max_distance_km = new.max_distance_km, skills = new.skills,
        approved = new.vetting_status = 'approved'
    WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.user_id);
END;

CREATE TRIGGER helper_reach_active AFTER UPDATE OF deactivated_at ON users BEGIN
    UPDATE helper_reach_rtree SET active = new.deactivated_at IS NULL
    WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = new.id);
END;

CREATE TRIGGER helper_reach_delete AFTER DELETE ON helpers BEGIN
    DELETE FROM helper_reach_rtree WHERE id = (SELECT id FROM helper_reach_keys WHERE user_id = old.user_id);
    DELETE FROM helper_reach_keys WHERE user_id = old.user_id;
END;
