//! The closed set of PLOVER v0.8 event types, and what each type is by
//! default (its CAMEO root, quad class, intensity, and whether its two sides
//! play the same part), read from the rules file.

use serde::Deserialize;

/// A PLOVER v0.8 event type, in the manual's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Reject,
    Threaten,
    Protest,
    Sanction,
    Mobilize,
    Coerce,
    Assault,
}

impl EventType {
    /// Every type, in the manual's order (the order of model classes 1..=16).
    pub const ALL: [EventType; 16] = [
        EventType::Agree,
        EventType::Consult,
        EventType::Support,
        EventType::Concede,
        EventType::Cooperate,
        EventType::Aid,
        EventType::Retreat,
        EventType::Request,
        EventType::Accuse,
        EventType::Reject,
        EventType::Threaten,
        EventType::Protest,
        EventType::Sanction,
        EventType::Mobilize,
        EventType::Coerce,
        EventType::Assault,
    ];

    pub fn as_str(self) -> &'static str {
        crate::PLOVER_TYPES[self.index()]
    }

    /// The type's position in [`EventType::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn parse(s: &str) -> Option<EventType> {
        crate::PLOVER_TYPES
            .iter()
            .position(|t| t.eq_ignore_ascii_case(s.trim()))
            .map(|i| EventType::ALL[i])
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an event of one type is when no lexicon entry says more.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRule {
    /// The rule's id, printed by `explain` (`T-AGREE`, ...).
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The CAMEO root code of the type.
    pub cameo: String,
    pub quad: u8,
    pub intensity: f64,
    /// Source and target play the same part ("Iran and Iraq met").
    #[serde(default)]
    pub symmetric: bool,
    /// PLOVER's "requires recipient: yes".
    #[serde(default)]
    pub needs_target: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_name() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            assert_eq!(EventType::ALL[t.index()], t);
        }
        assert_eq!(EventType::parse("assault"), Some(EventType::Assault));
        assert_eq!(EventType::parse("WAR"), None);
    }
}
