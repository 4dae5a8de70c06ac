ALTER TABLE help_requests DROP COLUMN area_name;
