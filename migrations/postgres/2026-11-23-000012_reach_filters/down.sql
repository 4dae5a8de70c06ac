DROP INDEX helpers_reach_box;
CREATE INDEX helpers_reach_box ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
);
