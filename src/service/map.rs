//! What the console's map is drawn on: the map tiles the Circle's settings name, if any.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Result, Services};
use crate::domain::Caller;

/// Where the map's tiles come from.
#[derive(Debug, Serialize, ToSchema)]
pub struct MapTiles {
    /// An OpenStreetMap-style address with `{z}`, `{x}` and `{y}`; `null`: no tiles, the map is
    /// drawn from the places alone.
    #[schema(example = "https://tile.example.org/{z}/{x}/{y}.png")]
    pub url: Option<String>,
    /// The words the tiles' provider asks to be shown with them.
    pub attribution: Option<String>,
}

/// The settings' map tiles, for coordinators.
pub fn tiles(svc: &Services, caller: &Caller) -> Result<MapTiles> {
    super::coordinators_only(caller)?;
    let console = &svc.settings.console;
    let given = |s: &String| (!s.is_empty()).then(|| s.clone());
    Ok(MapTiles {
        url: given(&console.map_tiles_url),
        attribution: given(&console.map_attribution),
    })
}
