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
