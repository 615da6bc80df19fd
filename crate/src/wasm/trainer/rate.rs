//! The JS side of the VAE as a code: `Trainer.rateDistortion` (the maths is in
//! `crate::math::networks::vae::rate`).

use super::data::RowChecks;
use super::{Trainer, finite};
use crate::wasm::convert::{self, floats, object, whole};
use crate::wasm::error::ApiError;
use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

/// Most draws per image in `rateDistortion` (the draws of all images are held at once).
pub const MAX_RATE_SAMPLES: f64 = 100.0;

#[wasm_bindgen]
impl Trainer {
    /// Rate and distortion of the VAE on `data` (n × width, 1 ≤ n ≤ 5 000), in nats per image:
    /// for each image the distortion D = −E_q[log p(x | z)] (mean over `samples`, 2 to 100,
    /// draws z ~ q(z | x) seeded by `seed`) and the rate R = KL(q(z | x) ‖ N(0, I)) (closed
    /// form), so D + R = −ELBO; their means; and the ELBO surgery of the mean rate,
    /// R ≈ I_q(x; z) + KL(q(z) ‖ p(z)) with q(z) the average of the n posteriors, both parts
    /// by Monte Carlo from the same draws, with the standard error of their sum. Only for a
    /// VAE (mode "vae"). The model is unchanged.
    #[wasm_bindgen(
        js_name = rateDistortion,
        unchecked_return_type = "{ distortion: Float64Array, rate: Float64Array, meanDistortion: number, meanRate: number, negElbo: number, mutualInformation: number, marginalKl: number, surgeryStandardError: number }"
    )]
    pub fn rate_distortion(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
        samples: f64,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let data = &floats(&data, "data")?;
        self.core.check_rows(data, "data")?;
        let samples = whole(samples, "samples", 2.0, MAX_RATE_SAMPLES)? as usize;
        let seed = convert::seed(seed, "seed")?;
        let rd = self.core.vae().rate_distortion(data, samples, seed)?;
        finite(&rd.distortion)?;
        finite(&rd.rate)?;
        let means = [
            rd.mean_distortion,
            rd.mean_rate,
            rd.mutual_information,
            rd.marginal_kl,
            rd.surgery_standard_error,
        ];
        finite(&means)?;
        object(&[
            ("distortion", Float64Array::from(&rd.distortion[..]).into()),
            ("rate", Float64Array::from(&rd.rate[..]).into()),
            ("meanDistortion", rd.mean_distortion.into()),
            ("meanRate", rd.mean_rate.into()),
            ("negElbo", (rd.mean_distortion + rd.mean_rate).into()),
            ("mutualInformation", rd.mutual_information.into()),
            ("marginalKl", rd.marginal_kl.into()),
            ("surgeryStandardError", rd.surgery_standard_error.into()),
        ])
    }
}
