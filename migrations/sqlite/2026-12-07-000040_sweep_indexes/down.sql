DROP INDEX memberships_ends;
DROP INDEX helpers_vetting_expires;
