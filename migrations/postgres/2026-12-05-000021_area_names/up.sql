-- The name of the area a request is in, as people say it: the postcode district of the nearest
-- known postcode ("SE15"), worked out once when the request is made. Offers and emails show it
-- instead of coordinates. Null when no postcodes are loaded.
ALTER TABLE help_requests ADD COLUMN area_name TEXT;
