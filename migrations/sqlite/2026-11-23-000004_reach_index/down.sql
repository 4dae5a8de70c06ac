DROP TRIGGER helper_reach_delete;
DROP TRIGGER helper_reach_update;
DROP TRIGGER helper_reach_insert;
DROP TABLE helper_reach_rtree;
DROP TABLE helper_reach_keys;
CREATE INDEX helpers_reach ON helpers (reach_min_lat, reach_max_lat);
