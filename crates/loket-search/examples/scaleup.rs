//! Writes a scale-up of the corpus as JSON Lines for `loket import articles`:
//! `cargo run --release -p loket-search --example scaleup -- IN.jsonl N > OUT.jsonl`.
use loket_search::corpus::{CorpusDoc, scale_up};
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("corpus");
    let n: usize = args[2].parse().expect("size");
    let originals: Vec<CorpusDoc> = loket_search::corpus::read_jsonl(&text).unwrap();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for d in scale_up(&originals, n, 42) {
        let line = serde_json::json!({"id": d.id, "title": d.title, "body": d.body, "audience": "publiek"});
        writeln!(out, "{line}").unwrap();
    }
}
