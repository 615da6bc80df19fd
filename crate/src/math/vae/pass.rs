//! The forward pass with its cached activations, and the reverse pass through it.

use super::*;

/// Activations kept from the forward pass for the backward pass.
pub(super) struct Forward {
    pub(super) losses: Losses,
    h1: Vec<f32>,     // (n, H) encoder tanh output
    mu: Vec<f32>,     // (n, Z)
    logvar: Vec<f32>, // (n, Z)
    sigma: Vec<f32>,  // (n, Z), e^{½ log σ²}
    z: Vec<f32>,      // (n, Z)
    h2: Vec<f32>,     // (n, H) decoder tanh output
    logits: Vec<f32>, // (n, D)
}

impl Vae {
    /// Forward pass on `x` (n, D) with noise `eps` (n, Z); mean losses per example.
    pub(super) fn forward(&self, x: &[f32], eps: &[f32], beta: f32) -> Forward {
        let n = x.len() / self.pixels();
        let variational = self.mode == Mode::Variational;
        let h1 = tanh(&self.enc.forward(x)); // (n, H)
        let mu = self.enc_mu.forward(&h1); // (n, Z)
        let logvar = if variational {
            self.enc_logvar.forward(&h1) // (n, Z)
        } else {
            vec![0.0; mu.len()]
        };
        let sigma: Vec<f32> = logvar.iter().map(|lv| (0.5 * lv).exp()).collect(); // (n, Z)
        let z: Vec<f32> = if variational {
            mu.iter()
                .zip(&sigma)
                .zip(eps)
                .map(|((m, s), e)| m + s * e)
                .collect()
        } else {
            mu.clone()
        }; // (n, Z)
        let h2 = tanh(&self.dec.forward(&z)); // (n, H)
        let logits = self.dec_out.forward(&h2); // (n, D)
        let recon: f32 = logits
            .iter()
            .zip(x)
            .map(|(&l, &x)| bce_with_logits(l, x))
            .sum::<f32>()
            / n as f32;
        // ½ (μ² + (e^lv − 1 − lv)): every term ≥ 0, no cancellation near lv = 0.
        let kl = if variational {
            0.5 * mu
                .iter()
                .zip(&logvar)
                .map(|(&m, &lv)| m * m + (lv.exp_m1() - lv))
                .sum::<f32>()
                / n as f32
        } else {
            0.0
        };
        Forward {
            losses: Losses {
                loss: recon + beta * kl,
                recon,
                kl,
            },
            h1,
            mu,
            logvar,
            sigma,
            z,
            h2,
            logits,
        }
    }

    /// The losses and ∂(mean loss)/∂θ, flattened in the order of [`Vae::params`], for
    /// inputs `x` (n, D) and fixed noise `eps` (n, Z).
    pub(super) fn loss_and_grad(&self, x: &[f32], eps: &[f32], beta: f32) -> (Losses, Vec<f32>) {
        let f = self.forward(x, eps, beta);
        let n = x.len() / self.pixels();
        let inv_n = 1.0 / n as f32;
        let variational = self.mode == Mode::Variational;
        // ∂L/∂logits = (σ(l) − x)/n, shape (n, D)
        let dlogits: Vec<f32> = f
            .logits
            .iter()
            .zip(x)
            .map(|(&l, &x)| bce_with_logits_grad(l, x) * inv_n)
            .collect();
        let g_out = self.dec_out.backward(&f.h2, &dlogits);
        let da2 = tanh_backward(&f.h2, &g_out.dx); // (n, H)
        let g_dec = self.dec.backward(&f.z, &da2); // dx = ∂L/∂z, (n, Z)
        // ∂L/∂μ = ∂L/∂z + β μ/n;  ∂L/∂lv = ∂L/∂z · ε · ½σ + β · ½(e^lv − 1)/n
        let kl_w = if variational { beta * inv_n } else { 0.0 };
        let dmu: Vec<f32> = g_dec
            .dx
            .iter()
            .zip(&f.mu)
            .map(|(dz, m)| dz + kl_w * m)
            .collect(); // (n, Z)
        let mut dh1 = self.enc_mu.backward(&f.h1, &dmu); // dx = ∂L/∂h1 via μ, (n, H)
        let g_lv = if variational {
            let dlv: Vec<f32> = (0..dmu.len())
                .map(|i| {
                    g_dec.dx[i] * eps[i] * 0.5 * f.sigma[i] + kl_w * 0.5 * f.logvar[i].exp_m1()
                })
                .collect(); // (n, Z)
            let g = self.enc_logvar.backward(&f.h1, &dlv);
            for (a, b) in dh1.dx.iter_mut().zip(&g.dx) {
                *a += b;
            }
            (g.dw, g.db)
        } else {
            (
                vec![0.0; self.enc_logvar.w.len()],
                vec![0.0; self.enc_logvar.b.len()],
            )
        };
        let da1 = tanh_backward(&f.h1, &dh1.dx); // (n, H)
        let g_enc = self.enc.backward(x, &da1);
        let mut grads = Vec::with_capacity(self.num_params());
        for (dw, db) in [
            (g_enc.dw, g_enc.db),
            (dh1.dw, dh1.db),
            g_lv,
            (g_dec.dw, g_dec.db),
            (g_out.dw, g_out.db),
        ] {
            grads.extend_from_slice(&dw);
            grads.extend_from_slice(&db);
        }
        (f.losses, grads)
    }
}
