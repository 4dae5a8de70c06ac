//! A coarse area for places helpers may not see exactly: the cell of a grid about 550 m square.
//! Distances shown with an area are measured to the cell's centre, so that area and distance
//! together say no more than the cell does.

use serde::Serialize;
use utoipa::ToSchema;

use super::Location;

/// Cell size in degrees: 0.005° of latitude (~556 m) by 0.008° of longitude (~553 m in London).
/// The weekly report groups places by the same cells (`db::reports`), so its areas are the ones
/// helpers are shown.
pub const CELL_LAT: f64 = 0.005;
pub const CELL_LON: f64 = 0.008;
/// About how wide a cell is, in metres.
pub const CELL_SIZE_M: u32 = 550;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Area {
    /// The centre of the cell that holds the place.
    pub center: Location,
    /// About how wide the cell is, in metres.
    #[schema(example = 550)]
    pub cell_size_m: u32,
}

impl Area {
    pub fn of(l: Location) -> Area {
        Area::of_cell(
            (l.lat / CELL_LAT).floor() as i64,
            (l.lon / CELL_LON).floor() as i64,
        )
    }

    /// The area of the cell numbered `(row, col)`: `floor(lat / CELL_LAT)`, `floor(lon / CELL_LON)`.
    pub fn of_cell(row: i64, col: i64) -> Area {
        Area {
            center: Location {
                lat: round6((row as f64 + 0.5) * CELL_LAT),
                lon: round6((col as f64 + 0.5) * CELL_LON),
            },
            cell_size_m: CELL_SIZE_M,
        }
    }

    /// How the area is written in emails and the weekly report: its centre to four places.
    pub fn label(&self) -> String {
        format!("{:.4}, {:.4}", self.center.lat, self.center.lon)
    }

    /// Distance from `from` to the cell's centre, rounded to 0.1 km.
    pub fn distance_km_from(&self, from: Location) -> f64 {
        (from.distance_km(self.center) * 10.0).round() / 10.0
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearby_homes_share_a_cell_and_a_distance() {
        let a = Area::of(Location {
            lat: 51.47010,
            lon: -0.06990,
        });
        let b = Area::of(Location {
            lat: 51.47240,
            lon: -0.06410,
        });
        assert_eq!(a, b);
        let helper = Location {
            lat: 51.48,
            lon: -0.07,
        };
        assert_eq!(a.distance_km_from(helper), b.distance_km_from(helper));
        assert!(
            (a.center.lat - 51.4725).abs() < 1e-9 && (a.center.lon + 0.068).abs() < 1e-9,
            "{a:?}"
        );
    }
}
