//! Running the model: the training step (Adam on the flattened parameters), the loss on a
//! data set, encoding to q(z | x) and decoding z.

use super::*;

impl Vae {
    /// One Adam step on the mean per-example loss recon + β·KL over `batch`
    /// (shape (n, D), row-major), with ε drawn from `Random::new(seed)` (pass a new seed each
    /// step). Returns the batch's losses **before** the step, in nats per example.
    ///
    /// `beta` finite and ≥ 0 (ignored in autoencoder mode), `lr` finite and > 0, data as in
    /// [`Vae::likelihood`] (Bernoulli: [0, 1]; Gaussian: finite). On an error (including a non-finite gradient) the model is unchanged.
    pub fn train_step(
        &mut self,
        batch: &[f32],
        beta: f32,
        lr: f32,
        seed: u64,
    ) -> Result<Losses, InputError> {
        self.train_step_with(batch, Objective::beta(beta), lr, seed)
    }

    /// [`Vae::train_step`] on the loss recon + the `objective`'s KL term (β and free bits, see
    /// [`Objective`]); `loss` is that objective, `kl` the plain KL. `objective.free_bits`
    /// finite and ≥ 0.
    pub fn train_step_with(
        &mut self,
        batch: &[f32],
        objective: Objective,
        lr: f32,
        seed: u64,
    ) -> Result<Losses, InputError> {
        let n = self.check_data(batch, "batch")?;
        check_beta(objective.beta)?;
        let free_bits = objective.free_bits;
        if !(free_bits.is_finite() && free_bits >= 0.0) {
            return Err(InputError::OutOfRange {
                name: "free_bits",
                value: f64::from(free_bits),
                rule: Code::FreeBits,
            });
        }
        if !(lr.is_finite() && lr > 0.0) {
            return Err(InputError::OutOfRange {
                name: "lr",
                value: f64::from(lr),
                rule: Code::LrPositive,
            });
        }
        let mut ws = std::mem::take(&mut self.ws);
        fill_eps(&mut ws.eps, n * self.latent(), seed);
        let losses = self.pass(&mut ws, batch, objective, true);
        let result = match check_finite_all(&ws.grads, "grads") {
            Ok(()) => {
                self.adam_step(&ws.grads, lr);
                Ok(losses)
            }
            Err(e) => Err(e),
        };
        self.ws = ws;
        result
    }

    /// One Adam step on every layer from the flattened gradient `grads`.
    fn adam_step(&mut self, grads: &[f32], lr: f32) {
        let step = self.adam.begin(lr);
        let Self {
            adam,
            enc,
            enc_mu,
            enc_logvar,
            dec,
            dec_out,
            log_var_x,
            ..
        } = self;
        let mut offset = 0;
        for l in [enc, enc_mu, enc_logvar, dec, dec_out] {
            for p in [&mut l.w, &mut l.b] {
                let len = p.len();
                adam.update(step, offset, p, &grads[offset..offset + len]);
                offset += len;
            }
        }
        adam.update(step, offset, log_var_x, &grads[offset..]);
    }

    /// Losses on `data` (shape (n, D)) with **ε = 0**, i.e. decoding the posterior mean
    /// z = μ: deterministic, so curves are smooth, but recon is then the reconstruction error
    /// at the mean, a slight underestimate of the expected one inside the ELBO. `loss` is
    /// recon + KL (β = 1). For the unbiased Monte Carlo −ELBO use [`Vae::evaluate_sampled`].
    pub fn evaluate(&self, data: &[f32]) -> Result<Losses, InputError> {
        let n = self.check_data(data, "data")?;
        let eps = vec![0.0; n * self.latent()];
        Ok(self.forward(data, &eps, 1.0).losses)
    }

    /// Losses on `data` averaged over `samples` ≥ 1 draws of ε from `Random::new(seed)`: with
    /// β = 1 an unbiased estimate of −ELBO in nats per example (autoencoder mode: ε unused).
    pub fn evaluate_sampled(
        &self,
        data: &[f32],
        samples: usize,
        seed: u64,
    ) -> Result<Losses, InputError> {
        let n = self.check_data(data, "data")?;
        if samples == 0 {
            return Err(InputError::OutOfRange {
                name: "samples",
                value: 0.0,
                rule: Code::AverageSamples,
            });
        }
        let mut rng = Random::new(seed);
        let (mut recon, mut kl) = (0.0, 0.0);
        for _ in 0..samples {
            let eps: Vec<f32> = (0..n * self.latent())
                .map(|_| rng.standard_normal() as f32)
                .collect();
            let l = self.forward(data, &eps, 1.0).losses;
            recon += l.recon / samples as f32;
            kl += l.kl / samples as f32;
        }
        Ok(Losses {
            loss: recon + kl,
            recon,
            kl,
        })
    }

    /// The encoder's posterior parameters for `data` (shape (n, D)): (μ, log σ²), each
    /// (n, Z). In autoencoder mode log σ² is computed but meaningless.
    pub fn encode(&self, data: &[f32]) -> Result<(Vec<f32>, Vec<f32>), InputError> {
        self.check_data(data, "data")?;
        let mut h = self.enc.forward(data); // (n, H)
        self.activation.apply(&mut h);
        Ok((self.enc_mu.forward(&h), self.enc_logvar.forward(&h)))
    }

    /// Decoded from latent codes `z` (n, Z), all finite: (n, D) pixel probabilities σ(logit)
    /// for a Bernoulli likelihood, or the means m(z) for a Gaussian one.
    pub fn decode(&self, z: &[f32]) -> Result<Vec<f32>, InputError> {
        if z.is_empty() || !z.len().is_multiple_of(self.latent()) {
            return Err(InputError::LengthMismatch {
                name_a: "z",
                len_a: z.len(),
                name_b: "a non-zero whole number of latent vectors × latent dimension",
                len_b: (z.len() / self.latent()).max(1) * self.latent(),
            });
        }
        check_finite_all(z, "z")?;
        let out = self.decoder_logits(z);
        Ok(match self.likelihood {
            Likelihood::Bernoulli => out.into_iter().map(sigmoid).collect(),
            Likelihood::Gaussian => out,
        })
    }

    /// Decoder outputs (n, D) for latent codes `z` (n, Z), no checks: logits (Bernoulli) or
    /// means (Gaussian).
    pub(super) fn decoder_logits(&self, z: &[f32]) -> Vec<f32> {
        let mut h = self.dec.forward(z); // (n, H)
        self.activation.apply(&mut h);
        self.dec_out.forward(&h)
    }

    #[cfg(test)]
    pub(super) fn draw_eps(&self, n: usize, seed: u64) -> Vec<f32> {
        let mut eps = Vec::new();
        fill_eps(&mut eps, n * self.latent(), seed);
        eps
    }
}

/// `eps` ← `len` standard normals from `Random::new(seed)`, reusing its allocation.
fn fill_eps(eps: &mut Vec<f32>, len: usize, seed: u64) {
    let mut rng = Random::new(seed);
    eps.clear();
    eps.extend((0..len).map(|_| rng.standard_normal() as f32));
}

fn check_beta(beta: f32) -> Result<(), InputError> {
    if beta.is_finite() && beta >= 0.0 {
        Ok(())
    } else {
        Err(InputError::OutOfRange {
            name: "beta",
            value: f64::from(beta),
            rule: Code::BetaRange,
        })
    }
}
