-- Each skill's GiST index of reach boxes also indexes each helper's home (a second column), so
-- that one index scan answers "who can reach this place AND lives within this distance of it":
-- the ranking reads the nearest helpers a ring at a time (0.5 km, 1 km, 2 km, 4 km, then everyone
-- who can reach the place) and usually stops in the first or second ring, where it read every box
-- that holds the place (about 3,500 at 1M helpers over London) before. A scan on the first column
-- alone (everyone who can reach) still uses it.
DROP INDEX helpers_reach_s0;
DROP INDEX helpers_reach_s1;
DROP INDEX helpers_reach_s2;
DROP INDEX helpers_reach_s3;
DROP INDEX helpers_reach_s4;
DROP INDEX helpers_reach_s5;
DROP INDEX helpers_reach_s6;
DROP INDEX helpers_reach_s7;
DROP INDEX helpers_reach_s8;
CREATE INDEX helpers_reach_s0 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,shopping,%';
CREATE INDEX helpers_reach_s1 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,gardening,%';
CREATE INDEX helpers_reach_s2 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,diy,%';
CREATE INDEX helpers_reach_s3 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,cleaning,%';
CREATE INDEX helpers_reach_s4 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,it_help,%';
CREATE INDEX helpers_reach_s5 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,companionship,%';
CREATE INDEX helpers_reach_s6 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,transport,%';
CREATE INDEX helpers_reach_s7 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,paperwork,%';
CREATE INDEX helpers_reach_s8 ON helpers USING gist (
    box(point(reach_min_lon, reach_min_lat), point(reach_max_lon, reach_max_lat)),
    point(home_lon, home_lat)
) INCLUDE (user_id, home_lat, home_lon, reach_min_lon, reach_min_lat, reach_max_lon, reach_max_lat)
WHERE vetting_status = 'approved' AND skills LIKE '%,other,%';
