//! The trainer's data: the checks only the boundary makes on the rows JS hands over (sizes that
//! fit wasm32's memory, messages naming the argument), and the name of a 2-D toy set of
//! [`crate::math::networks::data::toy`] read for `Trainer.loadToy` (the split is the core's).

use super::Trainer;
use crate::math::networks::data::digits::parse_digits;
use crate::math::networks::data::points::parse_points;
use crate::math::networks::data::toy::{self, ToySet};
pub use crate::math::networks::data::toy::{TOY_NAMES, ToySplit};
use crate::math::networks::train::{TrainerConfig, Training};
use crate::math::networks::vae::Likelihood;
use crate::wasm::convert::{self, bytes, object, text, whole};
use crate::wasm::error::{ApiError, BoundaryCode, Code};
use js_sys::{Float32Array, Uint8Array};
use wasm_bindgen::prelude::*;

/// Largest width × hidden (about half the weights): 2²⁴, 64 MB of f32 per copy of the weights.
pub const MAX_WEIGHTS: u64 = 1 << 24;
/// Largest rows × max(width, hidden) one call may push through the network at once: 2²⁵
/// f32 values (128 MB) per layer's activations.
pub const MAX_ACTIVATIONS: u64 = 1 << 25;

/// Checks `data` ((n, width), n ≥ 1, finite; in [0, 1] for a Bernoulli likelihood) and the
/// sizes, then builds the training from `seed`.
pub fn training(
    data: Vec<f32>,
    width: usize,
    config: TrainerConfig,
    seed: u64,
) -> Result<Training, ApiError> {
    let rows = check_rows(&data, width, config.likelihood, "data")?;
    // u64: on wasm32 width × hidden wraps round in a usize.
    let weights = width as u64 * config.hidden as u64;
    if weights > MAX_WEIGHTS {
        return Err(ApiError::new(BoundaryCode::TooLarge)
            .with("name", "width × config.hidden")
            .with("value", weights)
            .with("max", MAX_WEIGHTS));
    }
    check_activations(rows, width, config.hidden, "data")?;
    Ok(Training::new(data, width, config, seed)?)
}

/// The boundary's checks of more rows for a training's model.
pub trait RowChecks {
    /// [`check_rows`] for this trainer's width and likelihood.
    fn check_rows(&self, data: &[f32], name: &str) -> Result<usize, ApiError>;
    /// Checks that `rows` rows fit through the network at once (see [`MAX_ACTIVATIONS`]).
    fn check_batch(&self, rows: usize, name: &str) -> Result<(), ApiError>;
}

impl RowChecks for Training {
    fn check_rows(&self, data: &[f32], name: &str) -> Result<usize, ApiError> {
        let rows = check_rows(data, self.width(), self.config().likelihood, name)?;
        check_activations(rows, self.width(), self.config().hidden, name)?;
        Ok(rows)
    }

    fn check_batch(&self, rows: usize, name: &str) -> Result<(), ApiError> {
        check_activations(rows, self.width(), self.config().hidden, name)
    }
}

/// The rows of `data`: a non-empty whole number of rows of `width` finite values, in [0, 1]
/// for a Bernoulli `likelihood`.
pub fn check_rows(
    data: &[f32],
    width: usize,
    likelihood: Likelihood,
    name: &str,
) -> Result<usize, ApiError> {
    if width == 0 {
        return Err(ApiError::new(BoundaryCode::WidthZero));
    }
    if data.is_empty() {
        return Err(ApiError::new(Code::Empty).with("name", name));
    }
    if !data.len().is_multiple_of(width) {
        return Err(ApiError::new(BoundaryCode::ImagesNotWhole)
            .with("name", name)
            .with("len", data.len())
            .with("width", width));
    }
    if let Some(i) = data.iter().position(|x| !x.is_finite()) {
        return Err(ApiError::new(Code::NotFiniteNumber)
            .with("name", format!("{name}[{i}]"))
            .with("value", data[i]));
    }
    if likelihood == Likelihood::Bernoulli
        && let Some(i) = data.iter().position(|x| !(0.0..=1.0).contains(x))
    {
        return Err(ApiError::new(BoundaryCode::BernoulliPixel)
            .with("name", name)
            .with("index", i)
            .with("value", data[i]));
    }
    Ok(data.len() / width)
}

/// `rows` × max(`width`, `hidden`) ≤ [`MAX_ACTIVATIONS`], in u64 (no wasm32 wrap-round).
fn check_activations(rows: usize, width: usize, hidden: usize, name: &str) -> Result<(), ApiError> {
    let values = rows as u64 * width.max(hidden) as u64;
    if values > MAX_ACTIVATIONS {
        return Err(ApiError::new(BoundaryCode::TooLarge)
            .with("name", format!("{name} rows × max(width, hidden)"))
            .with("value", values)
            .with("max", MAX_ACTIVATIONS));
    }
    Ok(())
}

/// [`toy_split`](crate::math::networks::data::toy::toy_split) of the toy set named `name`.
///
/// Errors: an unknown `name` (the message lists [`TOY_NAMES`]), or `n` out of the
/// generators' range.
pub fn toy_split(name: &str, n: usize, seed: u64) -> Result<ToySplit, ApiError> {
    let set = ToySet::from_name(name)
        .ok_or_else(|| ApiError::new(BoundaryCode::ToyName).with("name", name))?;
    Ok(toy::toy_split(set, n, seed)?)
}

/// The data sets the VAE trains on, in the widget's menu order: the digits (`loadDigits`), then
/// the 2-D toy sets (`loadToy`, [`TOY_NAMES`]). The one list: the page's menu and link read it.
pub fn dataset_names() -> Vec<&'static str> {
    std::iter::once(DIGITS).chain(TOY_NAMES).collect()
}

/// The digits' name in [`dataset_names`].
pub const DIGITS: &str = "digits";

/// [`dataset_names`] for JS: `lab.datasetNames()` → ["digits", "mixture", "moons", …].
#[wasm_bindgen(js_name = datasetNames)]
pub fn dataset_names_js() -> Vec<String> {
    dataset_names().into_iter().map(String::from).collect()
}

#[wasm_bindgen]
impl Trainer {
    /// Parses `digits.bin`: { trainX, trainY, testX, testY, width, height, pixels }, with
    /// images as Float32Array rows of `pixels` = width × height values in [0, 1] (pass
    /// `pixels` as the Trainer's width) and labels as Uint8Array.
    #[wasm_bindgen(js_name = loadDigits)]
    pub fn load_digits(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<JsValue, ApiError> {
        let d = parse_digits(&self::bytes(&bytes, "bytes")?)?;
        object(&[
            ("trainX", Float32Array::from(d.train.flat()).into()),
            ("trainY", Uint8Array::from(&d.train.labels[..]).into()),
            ("testX", Float32Array::from(d.test.flat()).into()),
            ("testY", Uint8Array::from(&d.test.labels[..]).into()),
            ("width", (d.width as f64).into()),
            ("height", (d.height as f64).into()),
            ("pixels", (d.pixels_per_image() as f64).into()),
        ])
    }

    /// A seeded 2-D toy set in loadDigits' shape: `name` "mixture", "moons", "rings" or
    /// "spiral" (see [`toy_split`] for each one's parameters), `n` points (16 to 20 000,
    /// 80% train / 20% test), `seed` a whole number. Rows are (x, y) points, pixels = 2
    /// (train with likelihood "gaussian"); labels are the generator's classes.
    #[wasm_bindgen(js_name = loadToy)]
    pub fn load_toy(
        #[wasm_bindgen(unchecked_param_type = "\"mixture\" | \"moons\" | \"rings\" | \"spiral\"")]
        name: JsValue,
        n: f64,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let name = text(&name, "name")?;
        let n = whole(n, "n", 16.0, 20_000.0)? as usize;
        let t = toy_split(&name, n, convert::seed(seed, "seed")?)?;
        object(&split_fields(&t))
    }

    /// The reader's own 2-D points from CSV `text` (x, y and an optional label per line, a
    /// header optional; see [`parse_points`]) in loadToy's shape, centred and divided by one
    /// scale (unit spread), shuffled from `seed` and split 80/20; plus `labelNames` (labels
    /// by class number, empty without a label column), `mean` [x, y], `scale` and `header`.
    /// Bad files throw coded errors (csv-…) naming the line.
    #[wasm_bindgen(js_name = loadPoints)]
    pub fn load_points(
        #[wasm_bindgen(unchecked_param_type = "string")] csv: JsValue,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let csv = text(&csv, "text")?;
        let seed = convert::seed(seed, "seed")?;
        let p = parse_points(&csv)?;
        let t = p.split(seed);
        let names: js_sys::Array = p.label_names.iter().map(|s| JsValue::from_str(s)).collect();
        let mut fields = split_fields(&t);
        fields.extend([
            ("labelNames", names.into()),
            ("mean", js_sys::Float64Array::from(&p.mean[..]).into()),
            ("scale", p.scale.into()),
            ("header", p.header.into()),
        ]);
        object(&fields)
    }
}

/// A 2-D split in loadDigits' shape: trainX, trainY, testX, testY, width 2, height 1, pixels 2.
fn split_fields(t: &ToySplit) -> Vec<(&'static str, JsValue)> {
    vec![
        (
            "trainX",
            Float32Array::from(t.train_x.as_slice().unwrap_or_default()).into(),
        ),
        ("trainY", Uint8Array::from(&t.train_y[..]).into()),
        (
            "testX",
            Float32Array::from(t.test_x.as_slice().unwrap_or_default()).into(),
        ),
        ("testY", Uint8Array::from(&t.test_y[..]).into()),
        ("width", 2.0.into()),
        ("height", 1.0.into()),
        ("pixels", 2.0.into()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::networks::data::toy::two_moons;

    #[test]
    fn splits_are_80_20_labelled_and_reproducible() {
        let classes = [6u8, 2, 3, 2];
        for (name, k) in TOY_NAMES.iter().zip(classes) {
            for n in [16, 101, 1000] {
                let t = toy_split(name, n, 7).unwrap();
                let n_train = n * 4 / 5;
                assert_eq!(t.train_x.dim(), (n_train, 2), "{name} {n}");
                assert_eq!(t.train_y.len(), n_train);
                assert_eq!(t.test_x.dim(), (n - n_train, 2));
                assert_eq!(t.test_y.len(), n - n_train);
                assert!(t.train_y.iter().chain(&t.test_y).all(|&y| y < k));
                assert!(t.train_x.iter().chain(&t.test_x).all(|v| v.is_finite()));
                assert!(
                    t.train_x.iter().all(|v| v.abs() < 5.0),
                    "{name}: unit scale"
                );
                assert_eq!(t, toy_split(name, n, 7).unwrap());
                assert_ne!(t, toy_split(name, n, 8).unwrap());
            }
            // Both parts hold every class once there are enough points.
            let t = toy_split(name, 1000, 1).unwrap();
            for c in 0..k {
                assert!(
                    t.train_y.contains(&c) && t.test_y.contains(&c),
                    "{name} {c}"
                );
            }
        }
    }

    #[test]
    fn the_split_is_a_shuffle_of_the_generated_points() {
        let t = toy_split("moons", 200, 3).unwrap();
        let (points, _) = two_moons(200, 0.1, 3).unwrap();
        let key = |v: &[f32]| {
            let mut rows: Vec<[u32; 2]> = v
                .chunks(2)
                .map(|p| [p[0].to_bits(), p[1].to_bits()])
                .collect();
            rows.sort_unstable();
            rows
        };
        let all: Vec<f32> = t.train_x.iter().chain(&t.test_x).copied().collect();
        assert_eq!(key(&all), key(&points));
        assert_ne!(all, points, "shuffled, not the generator's cyclic order");
    }

    #[test]
    fn the_data_sets_are_the_digits_then_every_toy_set() {
        let names = dataset_names();
        assert_eq!(names[0], DIGITS);
        assert_eq!(names[1..], TOY_NAMES);
        for name in &names[1..] {
            assert!(toy_split(name, 100, 0).is_ok(), "{name}");
        }
        assert_eq!(dataset_names_js(), names);
    }

    #[test]
    fn unknown_names_list_the_choices() {
        let e = toy_split("circles", 100, 0).unwrap_err();
        for name in TOY_NAMES {
            assert!(e.to_string().contains(name), "{e}");
        }
        assert!(toy_split("moons", 0, 0).is_err());
    }
}
