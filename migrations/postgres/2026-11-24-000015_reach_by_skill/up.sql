-- One GiST index of reach boxes per skill, over the approved helpers with that skill, carrying
-- each helper's id, home and box corners (INCLUDE), so that finding who can reach a place for a
-- job is an index-only scan of the skill's own index: no helper row is read. (The query names the
-- skill as a literal, so that the planner can prove the index's predicate.) At 1M helpers over
-- London about 3,500 entries answer a place, from ~900 index pages, where the one index over every
-- approved helper read ~15,000 boxes and as many heap rows to filter the skill.
CREATE INDEX helpers_reach_s0 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,shopping,%';
CREATE INDEX helpers_reach_s1 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,gardening,%';
CREATE INDEX helpers_reach_s2 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,diy,%';
CREATE INDEX helpers_reach_s3 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,cleaning,%';
CREATE INDEX helpers_reach_s4 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,it_help,%';
CREATE INDEX helpers_reach_s5 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,companionship,%';
CREATE INDEX helpers_reach_s6 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,transport,%';
CREATE INDEX helpers_reach_s7 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,paperwork,%';
CREATE INDEX helpers_reach_s8 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat))
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,other,%';
