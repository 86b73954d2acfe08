//! Loads PETRARCH actor and agent dictionaries from a directory and prints
//! what was read: `cargo run --release -p annalist-petrarch --example petrarch_dicts -- DIR`.

use annalist_petrarch::{ActorDict, AgentDict};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/petrarch2/dictionaries".into());
    let mut actors = ActorDict::default();
    let mut agents = AgentDict::default();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if name.ends_with(".actors.txt") {
            let d = ActorDict::parse(&text);
            println!(
                "{name}: {} actors, {} warnings",
                d.entries.len(),
                d.warnings.len()
            );
            for w in d.warnings.iter().take(3) {
                println!("  {name}:{}: {}", w.line, w.message);
            }
            actors.extend(d);
        } else if name.ends_with("agents.txt") {
            let d = AgentDict::parse(&text);
            println!(
                "{name}: {} agent phrases, {} warnings",
                d.len(),
                d.warnings.len()
            );
            for w in d.warnings.iter().take(3) {
                println!("  {name}:{}: {}", w.line, w.message);
            }
            if name.starts_with("Phoenix") {
                agents = d;
            }
        }
    }
    for probe in [
        "Afghanistan",
        "Hamid Karzai",
        "Ban Ki-moon",
        "Tehran",
        "Vladimir Putin",
        "Hassan Rouhani",
    ] {
        let code = actors
            .lookup(probe)
            .and_then(|e| e.code_on(Some((2015, 6, 1))));
        println!("{probe:>16} @2015-06-01 → {code:?}");
    }
    for probe in ["defense minister", "police", "rebels", "foreign ministry"] {
        println!("{probe:>16} → {:?}", agents.lookup(probe));
    }
}
