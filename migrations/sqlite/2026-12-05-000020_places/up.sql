-- Places from postcodes: the open ONS Postcode Directory (or a plain postcode,lat,lon list),
-- imported once by `neighbourly places import`, so that nobody types coordinates.
CREATE TABLE places (
    postcode TEXT PRIMARY KEY NOT NULL,
    district TEXT NOT NULL,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL
);
CREATE INDEX places_position ON places (lat, lon);
