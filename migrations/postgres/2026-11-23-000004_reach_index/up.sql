-- A GiST index of every helper's reach box (PostgreSQL's built-in box type, x = longitude,
-- y = latitude), so that finding the helpers who can reach a place reads only the boxes that hold
-- it. PostgreSQL keeps it in the same transaction as every change to helpers.
CREATE INDEX helpers_reach_box ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
);
DROP INDEX helpers_reach;
