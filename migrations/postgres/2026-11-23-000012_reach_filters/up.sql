-- Only approved helpers are ever looked for by place: the reach index keeps only them, and
-- finding candidates (which asks for approved helpers) reads a smaller index.
DROP INDEX helpers_reach_box;
CREATE INDEX helpers_reach_box ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) WHERE vetting_status = 'approved';
