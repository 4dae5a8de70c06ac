//! Where someone or something is, as a person gives it: a postcode to look up, or a position
//! (which wins when both are given); and the Circle's own area, which every place must lie in.

use serde::Deserialize;

use super::{Location, Postcode};

/// A place as given.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    At(Location),
    Postcode(Postcode),
}

/// The Circle's area: a centre and a radius. A place outside it is refused, which catches a
/// latitude and longitude typed the wrong way round.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct CircleArea {
    pub centre: Location,
    pub radius_km: f64,
}

impl CircleArea {
    /// `Err` with a sentence for the person when `at` lies outside the area.
    pub fn check(&self, at: Location) -> Result<(), String> {
        let km = self.centre.distance_km(at);
        if km <= self.radius_km {
            return Ok(());
        }
        let swapped = Location {
            lat: at.lon,
            lon: at.lat,
        };
        let hint = if (-90.0..=90.0).contains(&at.lon)
            && self.centre.distance_km(swapped) <= self.radius_km
        {
            ": the latitude and longitude look swapped"
        } else {
            ": check the place, or give its postcode"
        };
        Err(format!(
            "this place is {km:.0} km from the centre of the Circle, outside its area of {:.0} km{hint}",
            self.radius_km
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peckham() -> CircleArea {
        CircleArea {
            centre: Location {
                lat: 51.4700,
                lon: -0.0800,
            },
            radius_km: 8.0,
        }
    }

    #[test]
    fn a_place_inside_passes_and_one_outside_says_why() {
        assert!(peckham()
            .check(Location {
                lat: 51.4686,
                lon: -0.0712
            })
            .is_ok());
        let far = peckham()
            .check(Location {
                lat: 53.4808,
                lon: -2.2426,
            })
            .unwrap_err();
        assert!(far.contains("outside its area of 8 km"), "{far}");
        let swapped = peckham()
            .check(Location {
                lat: -0.0712,
                lon: 51.4686,
            })
            .unwrap_err();
        assert!(swapped.contains("look swapped"), "{swapped}");
    }
}
