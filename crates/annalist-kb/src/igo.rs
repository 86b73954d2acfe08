//! Our hand-written list of the main intergovernmental organisations and their PLOVER and
//! CAMEO codes. The codes are the standard actor codes; the names and aliases are ours.

use crate::types::Igo;

macro_rules! igo {
    ($name:expr, $org:expr, $cameo:expr, [$($alias:expr),* $(,)?]) => {
        Igo { name: $name, code: "IGO", org: $org, cameo: $cameo, aliases: &[$($alias),*] }
    };
}

/// The organisations, most frequently named in news first.
pub static IGOS: &[Igo] = &[
    igo!(
        "United Nations",
        "UNO",
        "IGOUNO",
        ["UN", "U.N.", "UNO", "the UN"]
    ),
    igo!(
        "United Nations Security Council",
        "UNO",
        "IGOUNO",
        ["UN Security Council", "UNSC", "Security Council"]
    ),
    igo!(
        "United Nations General Assembly",
        "UNO",
        "IGOUNO",
        ["UN General Assembly", "UNGA"]
    ),
    // "Europe" as an actor ("Zarif criticised Europe") is the Union: the
    // annotated corpus codes it so 22 times of 22.
    igo!(
        "European Union",
        "EUR",
        "IGOEUREEC",
        ["EU", "E.U.", "Europe"]
    ),
    igo!("European Commission", "EUR", "IGOEUREEC", []),
    igo!("European Parliament", "EUR", "IGOEUREEC", []),
    igo!(
        "European Community",
        "EUR",
        "IGOEUREEC",
        ["European Economic Community", "European Communities", "EEC"]
    ),
    igo!(
        "Asia-Pacific Economic Cooperation",
        "IGO",
        "IGOAPEC",
        ["APEC", "Asia Pacific Economic Cooperation"]
    ),
    igo!(
        "North Atlantic Treaty Organization",
        "NAT",
        "IGOWSTNAT",
        [
            "NATO",
            "North Atlantic Treaty Organisation",
            "North Atlantic Alliance"
        ]
    ),
    igo!("African Union", "AFU", "IGOAFRAFU", ["AU"]),
    igo!(
        "Organization of the Petroleum Exporting Countries",
        "OPC",
        "IGOBUSOPC",
        ["OPEC", "Organisation of the Petroleum Exporting Countries"]
    ),
    igo!("Arab League", "ARL", "IGOMEAARL", ["League of Arab States"]),
    igo!(
        "Gulf Cooperation Council",
        "GCC",
        "IGOPGSGCC",
        ["GCC", "Cooperation Council for the Arab States of the Gulf"]
    ),
    igo!(
        "Association of Southeast Asian Nations",
        "ASN",
        "IGOSEAASN",
        ["ASEAN"]
    ),
    igo!(
        "Organization of American States",
        "OAS",
        "IGOOAS",
        ["OAS", "Organisation of American States"]
    ),
    igo!(
        "Organisation of Islamic Cooperation",
        "OIC",
        "IGOMOSOIC",
        [
            "OIC",
            "Organization of Islamic Cooperation",
            "Organization of the Islamic Conference"
        ]
    ),
    igo!(
        "Shanghai Cooperation Organisation",
        "SCO",
        "IGOSCO",
        ["SCO", "Shanghai Cooperation Organization"]
    ),
    igo!(
        "Collective Security Treaty Organization",
        "CST",
        "IGOCSTO",
        ["CSTO", "Collective Security Treaty Organisation"]
    ),
    igo!(
        "Commonwealth of Independent States",
        "CIS",
        "IGOASCIS",
        ["CIS"]
    ),
    igo!(
        "Economic Community of West African States",
        "WAS",
        "IGOWAFWAS",
        ["ECOWAS"]
    ),
    igo!(
        "Southern African Development Community",
        "SAD",
        "IGOSAFDEVSAD",
        ["SADC"]
    ),
    igo!("East African Community", "EAC", "IGOEAFEAC", ["EAC"]),
    igo!(
        "Intergovernmental Authority on Development",
        "IAD",
        "IGOEAFDEVIAD",
        ["IGAD"]
    ),
    igo!(
        "Organization for Security and Co-operation in Europe",
        "SCE",
        "IGOEURSCE",
        [
            "OSCE",
            "Organisation for Security and Co-operation in Europe"
        ]
    ),
    igo!("Council of Europe", "COE", "IGOEURCOE", []),
    igo!("International Monetary Fund", "IMF", "IGOBUSIMF", ["IMF"]),
    igo!("World Bank", "WBK", "IGOUNODEVWBK", []),
    igo!(
        "World Trade Organization",
        "WTO",
        "IGOBUSWTO",
        ["WTO", "World Trade Organisation"]
    ),
    igo!(
        "World Health Organization",
        "WHO",
        "IGOUNOHLHWHO",
        ["WHO", "World Health Organisation"]
    ),
    igo!(
        "International Atomic Energy Agency",
        "IAE",
        "IGOUNOIAE",
        ["IAEA"]
    ),
    igo!(
        "International Court of Justice",
        "ICJ",
        "IGOUNOJUDICJ",
        ["ICJ", "World Court"]
    ),
    igo!("International Criminal Court", "ICC", "IGOJUDICC", ["ICC"]),
    igo!(
        "United Nations Children's Fund",
        "KID",
        "IGOUNOKID",
        ["UNICEF"]
    ),
    igo!(
        "United Nations High Commissioner for Refugees",
        "REF",
        "IGOUNOREFCHR",
        ["UNHCR", "UN refugee agency"]
    ),
    igo!(
        "World Food Programme",
        "WFP",
        "IGOUNOWFP",
        ["WFP", "World Food Program"]
    ),
    igo!(
        "Food and Agriculture Organization",
        "FAO",
        "IGOUNOAGRFAO",
        ["FAO"]
    ),
    igo!(
        "Office of the United Nations High Commissioner for Human Rights",
        "HCH",
        "IGOUNOHRIHCH",
        ["OHCHR"]
    ),
    igo!(
        "International Labour Organization",
        "ILO",
        "IGOUNOLABILO",
        ["ILO", "International Labor Organization"]
    ),
    igo!(
        "Interpol",
        "ITP",
        "IGOCOPITP",
        ["INTERPOL", "International Criminal Police Organization"]
    ),
    igo!("Group of Seven", "GOS", "IGOBUSGOS", ["G7", "G-7"]),
    igo!("Group of Twenty", "GTW", "IGOBUSGTW", ["G20", "G-20"]),
    igo!(
        "Commonwealth of Nations",
        "CWN",
        "IGOCWN",
        ["the Commonwealth"]
    ),
    igo!("Non-Aligned Movement", "NON", "IGONON", ["NAM"]),
    igo!("Asian Development Bank", "ADB", "IGOSEADEVADB", ["ADB"]),
    igo!("African Development Bank", "AFB", "IGOAFRDEVAFB", ["AfDB"]),
    igo!("Islamic Development Bank", "IDB", "IGOMOSDEVIDB", ["IsDB"]),
    igo!("Eurasian Economic Union", "EAU", "IGOEAEU", ["EAEU", "EEU"]),
    igo!("BRICS", "BRI", "IGOBRICS", []),
];
