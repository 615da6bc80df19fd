//! Native benchmarks of the maths core (run by `make bench`). Each figure is the median over
//! batches, reported beside a baseline measured in the same run. Writes JSON lines to the
//! path given as the first argument ending in ".json".

use elbo_lab::math::landscape::{Grid, forward_landscape, reverse_landscape};
use elbo_lab::math::mixture::GaussianMixture;
use elbo_lab::math::{fit, huffman, info};
use std::hint::black_box;
use std::time::Instant;

const BATCHES: usize = 41;

/// Median time of one call of `f`, in nanoseconds, over batches of `CALLS` calls.
fn median_ns(f: impl FnMut()) -> f64 {
    median_ns_of(20_000, f)
}

fn median_ns_of(calls: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                f();
            }
            start.elapsed().as_nanos() as f64 / calls as f64
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

    let p = GaussianMixture::new(&[0.45, 0.55], &[-2.5, 2.0], &[0.6, 0.9]).unwrap();
    let grid = Grid {
        mu: (-6.0, 6.0),
        log_sigma: (-1.9, 1.6),
        n_mu: 48,
        n_ls: 32,
    };
    let log_pdf = median_ns(|| {
        black_box(black_box(&p).log_pdf(black_box(0.3)));
    });
    let fwd_land = median_ns_of(5, || {
        black_box(forward_landscape(black_box(&p), &grid).unwrap());
    });
    let rev_land = median_ns_of(5, || {
        black_box(reverse_landscape(black_box(&p), &grid));
    });
    let fit_fwd = median_ns_of(5, || {
        black_box(fit::fit_forward(black_box(&p)).unwrap());
    });
    let fit_rev = median_ns_of(5, || {
        black_box(fit::fit_reverse(black_box(&p)).unwrap());
    });
    let cells = (grid.n_mu * grid.n_ls) as f64;

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
        record(
            "native: reverse-KL landscape 48×32",
            rev_land,
            ("65 × cells mixture ln p", 65.0 * cells * log_pdf),
        ),
        record(
            "native: forward-KL landscape 48×32",
            fwd_land,
            ("mixture ln p", log_pdf),
        ),
        record(
            "native: fit_reverse (all optima)",
            fit_rev,
            ("fit_forward (moment matching)", fit_fwd),
        ),
    ];
    if let Some(path) = std::env::args().find(|a| a.ends_with(".json")) {
        std::fs::write(&path, format!("[{}]\n", lines.join(",\n"))).expect("write the results");
    }
}
