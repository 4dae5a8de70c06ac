//! A point on the map in WGS84 degrees, and distances between points.

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Location {
    #[schema(example = 51.4740)]
    pub lat: f64,
    #[schema(example = -0.0690)]
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
