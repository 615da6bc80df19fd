//! The weights file's tests: a Gaussian model's round trip, the settings the file states
//! (binarisation, warm-up, free bits), and an import's shape checks (the model kept on error).

use super::*;
use crate::math::networks::train::tests::data;
use crate::wasm::trainer::config::{RawConfig, check};
use crate::wasm::trainer::data::{RowChecks, toy_split, training};

fn config() -> crate::math::networks::train::TrainerConfig {
    check(&RawConfig {
        hidden: 8.0,
        lr: 1e-2,
        batch_size: 4.0,
        ..RawConfig::default()
    })
    .unwrap()
}

fn config_with(likelihood: &str) -> crate::math::networks::train::TrainerConfig {
    check(&RawConfig {
        hidden: 8.0,
        likelihood,
        ..RawConfig::default()
    })
    .unwrap()
}

#[test]
fn a_gaussian_trainer_learns_a_toy_set_and_round_trips_its_weights() {
    let config = check(&RawConfig {
        hidden: 16.0,
        lr: 1e-2,
        batch_size: 32.0,
        likelihood: "gaussian",
        ..RawConfig::default()
    })
    .unwrap();
    let toy = toy_split("moons", 320, 4).unwrap();
    let mut core = training(toy.train_x.as_slice().unwrap().to_vec(), 2, config, 1).unwrap();
    let first = core.train_epoch().unwrap();
    let mut last = first;
    for _ in 0..20 {
        last = core.train_epoch().unwrap();
    }
    assert!(last.loss < first.loss, "{last:?} vs {first:?}");
    assert!(
        core.check_rows(toy.test_x.as_slice().unwrap(), "data")
            .is_ok()
    );
    let bern = training(data(), 6, config_with("bernoulli"), 3).unwrap();
    // Gaussian adds log σ_x² (width values) after the Bernoulli layout.
    let gauss = training(data(), 6, config_with("gaussian"), 3).unwrap();
    assert_eq!(gauss.vae().num_params(), bern.vae().num_params() + 6);
    let json = export_json(&core);
    assert!(json.contains("\"likelihood\":\"gaussian\""), "{json}");
    let params = core.vae().params();
    let e = import(&mut core, 2, 2, 16, "vae", "tanh", "bernoulli", &params)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("config.likelihood") && e.contains("gaussian"),
        "{e}"
    );
    import(&mut core, 2, 2, 16, "vae", "tanh", "gaussian", &params).unwrap();
}

#[test]
fn the_file_states_the_binarisation() {
    let binarising = |binarise| crate::math::networks::train::TrainerConfig {
        binarise,
        ..config()
    };
    let on = training(data(), 6, binarising(true), 5).unwrap();
    let off = training(data(), 6, binarising(false), 5).unwrap();
    let json = export_json(&on);
    assert!(json.contains("\"binarise\":true,\"likelihood\""), "{json}");
    assert!(export_json(&off).contains("\"binarise\":false,"));
}

#[test]
fn the_file_states_the_warmup_and_the_free_bits() {
    let c = crate::math::networks::train::TrainerConfig {
        warmup: 20,
        free_bits: 0.25,
        ..config()
    };
    let json = export_json(&training(data(), 6, c, 5).unwrap());
    assert!(json.contains("\"warmup\":20,\"freeBits\":0.25,"), "{json}");
    let off = export_json(&training(data(), 6, config(), 5).unwrap());
    assert!(off.contains("\"warmup\":0,\"freeBits\":0,"), "{off}");
    assert!(SETTINGS.contains(&"warmup") && SETTINGS.contains(&"freeBits"));
}

#[test]
fn import_checks_the_shape_and_keeps_the_model_on_error() {
    let mut core = training(data(), 6, config(), 3).unwrap();
    let before = core.vae().params();
    let e = import(&mut core, 6, 2, 8, "vae", "tanh", "bernoulli", &before[1..])
        .unwrap_err()
        .to_string();
    assert!(e.contains("params"), "{e}");
    assert!(
        import(&mut core, 6, 3, 8, "vae", "tanh", "bernoulli", &before)
            .unwrap_err()
            .to_string()
            .contains("latent")
    );
    assert!(
        import(
            &mut core,
            6,
            2,
            8,
            "autoencoder",
            "tanh",
            "bernoulli",
            &before
        )
        .is_err()
    );
    assert_eq!(core.vae().params(), before);
    let moved: Vec<f32> = before.iter().map(|p| p + 0.5).collect();
    assert!(import(&mut core, 6, 2, 8, "vae", "relu", "bernoulli", &before).is_err());
    import(&mut core, 6, 2, 8, "vae", "tanh", "bernoulli", &moved).unwrap();
    assert_eq!(core.vae().params(), moved);
    let json = export_json(&core);
    assert!(json.starts_with("{\"version\":1,\"config\":{\"width\":6,\"latent\":2"));
    assert!(json.contains("\"likelihood\":\"bernoulli\"}"), "{json}");
    let printed = json
        .split("\"params\":[")
        .nth(1)
        .unwrap()
        .trim_end_matches("]}");
    let parsed: Vec<f32> = printed.split(',').map(|s| s.parse().unwrap()).collect();
    assert_eq!(parsed, moved);
}
