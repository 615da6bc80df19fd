//! Native benchmarks of the maths core (run by `make bench`). Each figure is the median over
//! batches, reported beside a baseline measured in the same run. Writes JSON lines to the
//! path given as the first argument ending in ".json".

use elbo_lab::math::divergence::fit;
use elbo_lab::math::divergence::landscape::{Grid, forward_landscape, reverse_landscape};
use elbo_lab::math::divergence::mixture::GaussianMixture;
use elbo_lab::math::information::{huffman, info};
use elbo_lab::math::networks::data::binarise::binarise;
use elbo_lab::math::networks::data::digits::{Digits, parse_digits};
use elbo_lab::math::networks::train::{TrainerConfig, Training};
use elbo_lab::math::networks::vae::{Mode, Vae};
use elbo_lab::math::random::Random;
use std::hint::black_box;
use std::time::Instant;

#[path = "common/matmul.rs"]
mod matmul;

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
    let mut lines = lines.to_vec();
    lines.extend(vae_section());
    lines.extend(matmul_section());
    // BENCH_SPEED_ONLY=1 skips the training-quality runs (minutes): the speed figures only.
    if std::env::var_os("BENCH_SPEED_ONLY").is_none() {
        lines.extend(vae_quality());
        lines.extend(vae_binarised_quality());
    }
    if let Some(path) = std::env::args().find(|a| a.ends_with(".json")) {
        std::fs::write(&path, format!("[{}]\n", lines.join(",\n"))).expect("write the results");
    }
}

// ---- The training step's matrix products: the tiled kernels beside ndarray's own ----

/// `matmul_<kind>_<n>x<k>x<m>_tiled` beside `…_ndarray` (the baseline), ns per product.
fn matmul_section() -> Vec<String> {
    let mut lines = Vec::new();
    for shape in matmul::SHAPES {
        let (kind, n, k, m) = shape;
        let calls = (2_000_000 / (n * k * m)).clamp(5, 2000);
        let (tiled, nd) = matmul::pair(shape, |f, g| {
            (median_ns_of(calls, f), median_ns_of(calls, g))
        });
        let name = format!("matmul_{kind}_{n}x{k}x{m}");
        lines.push(record(
            &format!("{name}_tiled"),
            tiled,
            (&format!("{name}_ndarray"), nd),
        ));
    }
    lines
}

// ---- VAE training throughput ----

/// Examples per batch in the VAE benchmarks (the trainer's default).
const VAE_BATCH: usize = 64;

fn record_rate(name: &str, value: f64, baseline: (&str, f64)) -> String {
    println!(
        "{name:<44} {value:>10.0} ex/s baseline {:<32} {:>8.0} ex/s ×{:.2}",
        baseline.0,
        baseline.1,
        value / baseline.1
    );
    format!(
        r#"{{"name":"{name}","value":{value:.1},"unit":"examples/s","baseline":{{"name":"{}","value":{:.1}}}}}"#,
        baseline.0, baseline.1
    )
}

/// The naive i-j-p triple loop c = a·b, a (n, k), b (k, m): the baseline kernel.
fn naive_matmul(a: &[f32], b: &[f32], c: &mut [f32], n: usize, k: usize, m: usize) {
    for i in 0..n {
        for j in 0..m {
            let mut s = 0.0;
            for p in 0..k {
                s += a[i * k + p] * b[p * m + j];
            }
            c[i * m + j] = s;
        }
    }
}

/// Synthetic pixels in [0, 1], seeded.
fn synthetic(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = Random::new(seed);
    (0..n).map(|_| rng.uniform() as f32).collect()
}

/// Examples/s of `train_step` on a (D, H, Z = 2) model, and of the naive triple loop doing
/// the training step's five big (batch × D × H) products (2 forward, 3 backward).
fn vae_rate(d: usize, h: usize, calls: usize) -> (f64, f64) {
    let batch = synthetic(VAE_BATCH * d, 7);
    let mut vae = Vae::new(d, h, 2, Mode::Variational, 1).unwrap();
    let mut seed = 0;
    let step = median_ns_of(calls, || {
        seed += 1;
        black_box(vae.train_step(black_box(&batch), 1.0, 1e-3, seed).unwrap());
    });
    let w = synthetic(d * h, 8);
    let mut c = vec![0.0; VAE_BATCH * h.max(d)];
    let naive = median_ns_of(calls, || {
        for _ in 0..5 {
            naive_matmul(black_box(&batch), black_box(&w), &mut c, VAE_BATCH, d, h);
        }
        black_box(&c);
    });
    let rate = |ns: f64| VAE_BATCH as f64 / (ns * 1e-9);
    (rate(step), rate(naive))
}

fn vae_section() -> Vec<String> {
    let (digits, digits_naive) = vae_rate(64, 128, 20);
    let (big, big_naive) = vae_rate(784, 256, 2);
    vec![
        record_rate(
            "native: VAE train step 64-128-2, batch 64",
            digits,
            ("naive triple loop, same 5 products", digits_naive),
        ),
        record_rate(
            "native: VAE train step 784-256-2, batch 64",
            big,
            ("naive triple loop, same 5 products", big_naive),
        ),
    ]
}

fn record_nats(name: &str, value: f64, baseline: (&str, f64)) -> String {
    println!(
        "{name:<44} {value:>10.2} nats baseline {:<32} {:>8.2} nats",
        baseline.0, baseline.1
    );
    format!(
        r#"{{"name":"{name}","value":{value:.3},"unit":"nats","baseline":{{"name":"{}","value":{:.2}}}}}"#,
        baseline.0, baseline.1
    )
}

/// The chapter's digits (www/data/digits.bin).
fn chapter_digits() -> Digits {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/data/digits.bin");
    parse_digits(&std::fs::read(path).expect("read digits.bin")).unwrap()
}

/// The chapter's digits model: Z = 2, H = 128 tanh, Adam lr 1e-3, batch 64, β = 1, Bernoulli
/// pixels, on grey levels or dynamically binarised.
fn chapter_model(binarise: bool) -> TrainerConfig {
    // The defaults are the chapter's model.
    TrainerConfig {
        binarise,
        ..TrainerConfig::default()
    }
}

/// Held-out ELBO (nats per image, Monte Carlo over 100 draws z ~ q(z | x) per image, as a
/// PyTorch test loop estimates it) of the chapter's digits model (Z = 2, H = 128 tanh, lr 1e-3,
/// batch 64, β = 1, seed 1), trained through the trainer's own epoch loop, after 50 and 200
/// epochs, beside the issue's PyTorch reference for the same model.
fn vae_quality() -> Vec<String> {
    let digits = chapter_digits();
    let config = chapter_model(false);
    let width = digits.pixels_per_image();
    let mut core = Training::new(digits.train.flat().to_vec(), width, config, 1).unwrap();
    let start = Instant::now();
    let mut lines = Vec::new();
    for (epochs, reference) in [(50, -25.8), (200, -25.0)] {
        while core.epoch() < epochs {
            core.train_epoch().unwrap();
        }
        let test = digits.test.flat();
        let at_mean = -f64::from(core.vae().evaluate(test).unwrap().loss);
        let elbo = -f64::from(core.vae().evaluate_sampled(test, 100, 9).unwrap().loss);
        let iwae = core.vae().iwae(test, 200, 9).unwrap().iwae;
        println!(
            "  (after {epochs} epochs: decoding the mean code {at_mean:.2}; IWAE K = 200 {iwae:.2})"
        );
        lines.push(record_nats(
            &format!("vae_digits_heldout_elbo_{epochs}"),
            elbo,
            ("PyTorch reference", reference),
        ));
    }
    println!(
        "  (200 epochs trained in {:.1} s)",
        start.elapsed().as_secs_f64()
    );
    lines
}

/// The seed with which the held-out digits are binarised once (www/workers/vae.js
/// HELD_OUT_SEED is the same number).
const HELD_OUT_SEED: u64 = 31337;
/// Draws z ~ q(z | x) per held-out image in the binarised benchmark's ELBO estimate.
const ELBO_SAMPLES: usize = 1000;
/// Importance samples per held-out image in its IWAE estimate.
const IWAE_K: usize = 1000;

/// The issue's recipe (Z = 2, H = 128 tanh, Adam lr 1e-3, batch 64, β = 1) with dynamic
/// binarisation: each epoch every training pixel drawn afresh, the held-out images binarised
/// once with [`HELD_OUT_SEED`]. Held-out ELBO (Monte Carlo over [`ELBO_SAMPLES`] draws per
/// image, closed-form KL) and IWAE (K = [`IWAE_K`]) after 50 and 200 epochs, mean over seeds
/// 1, 2, 3 (each entry also lists the per-seed values), beside the PyTorch reference for the
/// same recipe: −25.74 after 50 epochs, −24.85 (range −25.05 … −24.66) after 200.
fn vae_binarised_quality() -> Vec<String> {
    let digits = chapter_digits();
    let config = chapter_model(true);
    let width = digits.pixels_per_image();
    let test = binarise(digits.test.flat(), HELD_OUT_SEED);
    let seeds = [1u64, 2, 3];
    let checkpoints = [(50u32, -25.74), (200, -24.85)];
    // (elbo, iwae) per checkpoint, per seed.
    let mut results = vec![Vec::new(); checkpoints.len()];
    let start = Instant::now();
    for &seed in &seeds {
        let mut core = Training::new(digits.train.flat().to_vec(), width, config, seed).unwrap();
        for (c, &(epochs, _)) in checkpoints.iter().enumerate() {
            while core.epoch() < epochs {
                core.train_epoch().unwrap();
            }
            let vae = core.vae();
            let elbo = -f64::from(vae.evaluate_sampled(&test, ELBO_SAMPLES, 9).unwrap().loss);
            let iwae = vae.iwae(&test, IWAE_K, 9).unwrap().iwae;
            println!("  (binarised, seed {seed}, {epochs} epochs: ELBO {elbo:.3}, IWAE {iwae:.3})");
            results[c].push((elbo, iwae));
        }
    }
    println!(
        "  (3 × 200 binarised epochs and their estimates in {:.1} s)",
        start.elapsed().as_secs_f64()
    );
    let list = |v: &[f64]| {
        let parts: Vec<String> = v.iter().map(|x| format!("{x:.3}")).collect();
        format!("[{}]", parts.join(","))
    };
    checkpoints
        .iter()
        .zip(&results)
        .map(|(&(epochs, reference), per_seed)| {
            let elbos: Vec<f64> = per_seed.iter().map(|r| r.0).collect();
            let iwaes: Vec<f64> = per_seed.iter().map(|r| r.1).collect();
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let name = format!("vae_binarised_heldout_elbo_{epochs}");
            let line = record_nats(&name, mean(&elbos), ("PyTorch reference", reference));
            println!(
                "  ({name}: per seed {}; IWAE K = {IWAE_K} mean {:.3}, per seed {})",
                list(&elbos),
                mean(&iwaes),
                list(&iwaes)
            );
            // record_nats' object, with the per-seed values and the IWAE estimate added.
            format!(
                "{},\"seeds\":{},\"per_seed\":{},\"elbo_samples\":{ELBO_SAMPLES},\"iwae\":{:.3},\
                 \"iwae_k\":{IWAE_K},\"iwae_per_seed\":{}}}",
                line.strip_suffix('}').unwrap_or(&line),
                format!("{seeds:?}").replace(' ', ""),
                list(&elbos),
                mean(&iwaes),
                list(&iwaes)
            )
        })
        .collect()
}
