DROP INDEX helpers_reach_box;
CREATE INDEX helpers_reach ON helpers (reach_min_lat, reach_max_lat);
