//! Our hand-written list of regions, islands and bodies of water that news names as
//! places but that the populated-places gazetteer lacks. Coordinates are rough central
//! points (degrees), enough to place a region on a map, not to measure it.

/// A named region: names (the first is preferred), country (ISO alpha-3, empty when it
/// spans or is disputed between several), latitude, longitude, feature code.
pub struct Region {
    pub names: &'static [&'static str],
    pub country: &'static str,
    pub lat: f32,
    pub lon: f32,
    pub feature: &'static str,
}

macro_rules! r {
    ([$($n:expr),+], $c:expr, $lat:expr, $lon:expr, $f:expr) => {
        Region { names: &[$($n),+], country: $c, lat: $lat, lon: $lon, feature: $f }
    };
}

/// The regions, seas and islands.
pub static REGIONS: &[Region] = &[
    r!(["Pacific Ocean", "Pacific"], "", 0.0, -160.0, "OCN"),
    r!(["Atlantic Ocean", "Atlantic"], "", 0.0, -25.0, "OCN"),
    r!(["Indian Ocean"], "", -20.0, 80.0, "OCN"),
    r!(["Arctic Ocean", "Arctic"], "", 80.0, 0.0, "OCN"),
    r!(
        ["Mediterranean Sea", "Mediterranean"],
        "",
        35.0,
        18.0,
        "SEA"
    ),
    r!(["Black Sea"], "", 43.5, 34.0, "SEA"),
    r!(["Caspian Sea"], "", 41.5, 50.5, "SEA"),
    r!(["Red Sea"], "", 20.0, 38.5, "SEA"),
    r!(["Baltic Sea"], "", 58.0, 20.0, "SEA"),
    r!(["North Sea"], "", 56.0, 3.0, "SEA"),
    r!(["Persian Gulf", "Arabian Gulf"], "", 26.5, 52.0, "SEA"),
    r!(["Gulf of Oman"], "", 24.5, 58.5, "SEA"),
    r!(["Gulf of Aden"], "", 12.5, 48.0, "SEA"),
    r!(["Strait of Hormuz"], "", 26.6, 56.5, "SEA"),
    r!(["South China Sea"], "", 12.0, 113.0, "SEA"),
    r!(["East China Sea"], "", 29.0, 125.0, "SEA"),
    r!(["Sea of Japan"], "", 40.0, 135.0, "SEA"),
    r!(["Caribbean Sea", "Caribbean"], "", 15.0, -75.0, "SEA"),
    r!(["Gulf of Mexico"], "", 25.0, -90.0, "SEA"),
    r!(["Arabian Sea"], "", 15.0, 65.0, "SEA"),
    r!(["Bay of Bengal"], "", 15.0, 88.0, "SEA"),
    r!(["Aegean Sea", "Aegean"], "", 39.0, 25.0, "SEA"),
    r!(["Adriatic Sea", "Adriatic"], "", 43.0, 15.0, "SEA"),
    r!(["Lake Victoria"], "", -1.0, 33.0, "LK"),
    r!(["Lake Titicaca"], "", -15.8, -69.4, "LK"),
    r!(["Lake Erie"], "", 42.2, -81.2, "LK"),
    r!(["Great Lakes"], "", 45.0, -84.0, "LK"),
    r!(["Suez Canal"], "EGY", 30.5, 32.35, "CNL"),
    r!(["Panama Canal"], "PAN", 9.1, -79.7, "CNL"),
    r!(["European Union", "EU"], "", 50.0, 10.0, "RGN"),
    r!(["Middle East", "Mideast"], "", 29.0, 45.0, "RGN"),
    r!(["North Africa"], "", 25.0, 15.0, "RGN"),
    r!(["West Africa"], "", 12.0, -3.0, "RGN"),
    r!(["East Africa"], "", 0.0, 37.0, "RGN"),
    r!(["Central Africa"], "", 0.0, 20.0, "RGN"),
    r!(["Southern Africa"], "", -25.0, 25.0, "RGN"),
    r!(["Horn of Africa"], "", 8.0, 45.0, "RGN"),
    r!(["Sahel"], "", 15.0, 5.0, "RGN"),
    r!(["Maghreb"], "", 32.0, 3.0, "RGN"),
    r!(["Central Asia"], "", 43.0, 65.0, "RGN"),
    r!(["South Asia"], "", 22.0, 78.0, "RGN"),
    r!(["Southeast Asia"], "", 10.0, 110.0, "RGN"),
    r!(["East Asia"], "", 35.0, 115.0, "RGN"),
    r!(["Western Europe"], "", 48.0, 5.0, "RGN"),
    r!(["Eastern Europe"], "", 50.0, 30.0, "RGN"),
    r!(["Scandinavia"], "", 63.0, 15.0, "RGN"),
    r!(["Balkans"], "", 43.0, 21.0, "RGN"),
    r!(["Caucasus"], "", 42.5, 44.5, "RGN"),
    r!(["Latin America"], "", -10.0, -60.0, "RGN"),
    r!(["Central America"], "", 13.0, -86.0, "RGN"),
    r!(["Kashmir"], "", 34.5, 76.0, "RGN"),
    r!(["Kurdistan"], "", 37.0, 44.0, "RGN"),
    r!(["Darfur"], "SDN", 13.0, 24.0, "RGN"),
    r!(["Siberia"], "RUS", 62.0, 100.0, "RGN"),
    r!(["Donbas", "Donbass"], "UKR", 48.0, 38.0, "RGN"),
    r!(["Patagonia"], "ARG", -45.0, -69.0, "RGN"),
    r!(["Sinai", "Sinai Peninsula"], "EGY", 29.5, 33.8, "PEN"),
    r!(["Gaza Strip"], "PSE", 31.4, 34.35, "RGN"),
    r!(["West Bank"], "PSE", 32.0, 35.25, "RGN"),
    r!(["Golan Heights", "Golan"], "", 33.0, 35.75, "RGN"),
    r!(["Java"], "IDN", -7.5, 110.0, "ISL"),
    r!(["Sumatra"], "IDN", 0.0, 102.0, "ISL"),
    r!(["Borneo"], "", 1.0, 114.0, "ISL"),
    r!(["Luzon"], "PHL", 16.0, 121.0, "ISL"),
    r!(["Mindanao"], "PHL", 8.0, 125.0, "ISL"),
    r!(["Jutland"], "DNK", 56.0, 9.2, "PEN"),
    r!(["Arabian Peninsula"], "", 23.0, 46.0, "PEN"),
    r!(["Korean Peninsula"], "", 38.0, 127.5, "PEN"),
    r!(["Crimean Peninsula"], "UKR", 45.3, 34.4, "PEN"),
];
