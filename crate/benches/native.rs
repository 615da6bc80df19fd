//! Native benchmarks of the maths core (run by `make bench`). Each figure is the median over
//! batches, reported beside a baseline measured in the same run. Writes JSON lines to the
//! path given as the first argument ending in ".json".

use elbo_lab::math::{huffman, info};
use std::hint::black_box;
use std::time::Instant;

const BATCHES: usize = 41;
const CALLS: usize = 20_000;

/// Median time of one call of `f`, in nanoseconds.
fn median_ns(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..CALLS {
                f();
            }
            start.elapsed().as_nanos() as f64 / CALLS as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[BATCHES / 2]
}

fn record(name: &str, value: f64, baseline: (&str, f64)) -> String {
    println!(
        "{name:<44} {value:>10.1} ns   baseline {:<32} {:>8.1} ns   ×{:.1}",
        baseline.0,
        baseline.1,
        value / baseline.1
    );
    format!(
        r#"{{"name":"{name}","value":{value:.2},"unit":"ns","baseline":{{"name":"{}","value":{:.2}}}}}"#,
        baseline.0, baseline.1
    )
}

fn main() {
    let n = 20;
    let weights: Vec<f64> = (1..=n).map(|i| i as f64).collect();
    let total: f64 = weights.iter().sum();
    let p: Vec<f64> = weights.iter().map(|w| w / total).collect();

    let sum_base = median_ns(|| {
        black_box(black_box(&p).iter().sum::<f64>());
    });
    let entropy = median_ns(|| {
        black_box(info::entropy(black_box(&p), 2.0).unwrap());
    });
    let sort_base = median_ns(|| {
        let mut v = black_box(&p).clone();
        v.sort_by(f64::total_cmp);
        black_box(v);
    });
    let huffman = median_ns(|| {
        black_box(huffman::huffman_code(black_box(&p)).unwrap());
    });
    let set_p = median_ns(|| {
        black_box(info::set_probability(black_box(&p), 3.0, 0.3).unwrap());
    });

    let lines = [
        record(
            "native: entropy, 20 outcomes",
            entropy,
            ("sum of 20 numbers", sum_base),
        ),
        record(
            "native: setProbability, 20 outcomes",
            set_p,
            ("sum of 20 numbers", sum_base),
        ),
        record(
            "native: huffmanCode, 20 outcomes",
            huffman,
            ("copy + sort of 20 numbers", sort_base),
        ),
    ];
    if let Some(path) = std::env::args().find(|a| a.ends_with(".json")) {
        std::fs::write(&path, format!("[{}]\n", lines.join(",\n"))).expect("write the results");
    }
}
