//! A point on the map in WGS84 degrees, and distances between points.

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::validator::FieldError;

/// Kilometres in one degree of latitude (WGS84, mid-latitudes).
pub const KM_PER_DEGREE_LAT: f64 = 110.574;
/// Kilometres in one degree of longitude at the equator; times cos(latitude) elsewhere.
pub const KM_PER_DEGREE_LON_AT_EQUATOR: f64 = 111.320;

/// A lat/lon box, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLonBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

impl LatLonBox {
    pub fn contains(&self, l: Location) -> bool {
        (self.min_lat..=self.max_lat).contains(&l.lat)
            && (self.min_lon..=self.max_lon).contains(&l.lon)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Location {
    #[schema(example = 51.4740, minimum = -90.0, maximum = 90.0)]
    pub lat: f64,
    #[schema(example = -0.0690, minimum = -180.0, maximum = 180.0)]
    pub lon: f64,
}

impl Location {
    /// Check the ranges; errors name `lat` and `lon`.
    pub fn parse(lat: f64, lon: f64) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            errors.push(FieldError::new("lat", "must be between -90 and 90"));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            errors.push(FieldError::new("lon", "must be between -180 and 180"));
        }
        if errors.is_empty() {
            Ok(Location { lat, lon })
        } else {
            Err(errors)
        }
    }

    pub fn point(self) -> Point<f64> {
        Point::new(self.lon, self.lat)
    }

    /// The box that holds every point within `km` of here, with 1% to spare (so that a point
    /// at exactly `km` by the great-circle distance is inside).
    pub fn reach_box(self, km: f64) -> LatLonBox {
        let dlat = km / KM_PER_DEGREE_LAT * 1.01 + 1e-6;
        let coslat = self.lat.to_radians().cos().max(0.01);
        let dlon = (km / (KM_PER_DEGREE_LON_AT_EQUATOR * coslat) * 1.01 + 1e-6).min(360.0);
        LatLonBox {
            min_lat: self.lat - dlat,
            max_lat: self.lat + dlat,
            min_lon: self.lon - dlon,
            max_lon: self.lon + dlon,
        }
    }

    /// Great-circle distance in kilometres (geo's Haversine, mean Earth radius).
    pub fn distance_km(self, other: Location) -> f64 {
        Haversine.distance(self.point(), other.point()) / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(Location::parse(51.5, -0.1).is_ok());
        assert_eq!(Location::parse(91.0, 0.0).unwrap_err()[0].field, "lat");
        assert_eq!(Location::parse(0.0, 181.0).unwrap_err()[0].field, "lon");
        assert_eq!(
            Location::parse(f64::NAN, f64::INFINITY).unwrap_err().len(),
            2
        );
    }

    #[test]
    fn the_reach_box_holds_every_point_within_reach() {
        let home = Location {
            lat: 51.47,
            lon: -0.07,
        };
        let b = home.reach_box(3.0);
        for bearing in 0..360 {
            let a = f64::from(bearing).to_radians();
            let p = Location {
                lat: home.lat + a.cos() * 3.0 / KM_PER_DEGREE_LAT,
                lon: home.lon
                    + a.sin() * 3.0 / (KM_PER_DEGREE_LON_AT_EQUATOR * home.lat.to_radians().cos()),
            };
            assert!(b.contains(p), "{bearing}");
        }
        assert!(!b.contains(Location {
            lat: 51.6,
            lon: -0.07
        }));
    }

    #[test]
    fn peckham_to_camberwell_is_about_two_km() {
        let peckham = Location {
            lat: 51.4740,
            lon: -0.0690,
        };
        let camberwell = Location {
            lat: 51.4740,
            lon: -0.0930,
        };
        let d = peckham.distance_km(camberwell);
        assert!((d - 1.66).abs() < 0.05, "{d}");
    }
}
