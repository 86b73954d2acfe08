//! Developer tool: the most frequent tagging and lemma confusions on a
//! treebank. `cargo run --release --example tag_errors -- TAGGER DEV.conllu`
use annalist_models::corpus::sents_from_conllu;
use annalist_models::Tagger;
use std::collections::HashMap;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let tagger = Tagger::load(&std::fs::read(&a[1]).unwrap()).unwrap();
    let dev = sents_from_conllu(&std::fs::read_to_string(&a[2]).unwrap()).unwrap();
    let mut conf: HashMap<(String, String), usize> = HashMap::new();
    let mut words: HashMap<String, usize> = HashMap::new();
    let mut lem: HashMap<(String, String, String), usize> = HashMap::new();
    for s in &dev {
        let t = tagger.tag_sent(s);
        for i in 0..s.len() {
            if t.upos[i] != s.upos[i] {
                *conf
                    .entry((s.upos[i].to_string(), t.upos[i].to_string()))
                    .or_default() += 1;
                *words
                    .entry(format!("{} {}>{}", s.words[i], s.upos[i], t.upos[i]))
                    .or_default() += 1;
            }
            if t.lemma[i] != s.lemma[i] {
                *lem.entry((s.words[i].clone(), s.lemma[i].clone(), t.lemma[i].clone()))
                    .or_default() += 1;
            }
        }
    }
    let mut v: Vec<_> = conf.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    println!("{:?}", &v[..20.min(v.len())]);
    let mut v: Vec<_> = words.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    println!("{:?}", &v[..40.min(v.len())]);
    let mut v: Vec<_> = lem.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    println!("{} lemma error types; {:?}", v.len(), &v[..50.min(v.len())]);
}
