//! The forward pass and the reverse pass through it, on reusable buffers: once a
//! [`Workspace`] has seen a batch of n rows, later batches of ≤ n rows allocate nothing.

use super::*;
use crate::math::networks::matmul::{NR, matmul_nt};

mod objective;
pub use objective::Objective;

/// Buffers of one training step: activations kept for the backward pass, the gradients, and
/// scratch for the matrix products. Pure scratch: it carries no model state, so two
/// workspaces always compare equal.
#[derive(Clone, Default)]
pub(super) struct Workspace {
    pub(super) eps: Vec<f32>, // (n, Z)
    h1: Vec<f32>,             // (n, H) encoder hidden output
    mu: Vec<f32>,             // (n, Z)
    logvar: Vec<f32>,         // (n, Z)
    sigma: Vec<f32>,          // (n, Z), e^{½ log σ²}
    z: Vec<f32>,              // (n, Z)
    h2: Vec<f32>,             // (n, H) decoder hidden output
    logits: Vec<f32>,         // (n, D) logits or means, then ∂L/∂(decoder output)
    inv_var_x: Vec<f32>,      // (D) Gaussian 1/σ_x²
    dlvx: Vec<f32>,           // (D) Gaussian ∂L/∂log σ_x²
    dh2: Vec<f32>,            // (n, H)
    dz: Vec<f32>,             // (n, Z), then ∂L/∂μ
    dlv: Vec<f32>,            // (n, Z)
    dh1: Vec<f32>,            // (n, H)
    kl_dim: Vec<f32>,         // (Z) free bits: the batch mean KL of each dimension
    kl_w: Vec<f32>,           // (Z) the KL term's weight per dimension, β/n or 0
    pub(super) grads: Vec<f32>,
    scratch: Vec<f32>,
    pack: Vec<f32>,
}

impl PartialEq for Workspace {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace").finish_non_exhaustive()
    }
}

impl Workspace {
    /// Capacity of every buffer, to check that steps do not reallocate.
    #[cfg(test)]
    pub(super) fn capacities(&self) -> Vec<usize> {
        [
            &self.eps,
            &self.h1,
            &self.mu,
            &self.logvar,
            &self.sigma,
            &self.z,
            &self.h2,
            &self.logits,
            &self.dh2,
            &self.dz,
            &self.dlv,
            &self.dh1,
            &self.kl_w,
            &self.grads,
            &self.scratch,
            &self.pack,
        ]
        .iter()
        .map(|v| v.capacity())
        .collect()
    }

    /// Capacity of the buffer only free bits use.
    #[cfg(test)]
    pub(super) fn free_bits_capacity(&self) -> usize {
        self.kl_dim.capacity()
    }

    /// Capacity of the buffers only a Gaussian likelihood uses.
    #[cfg(test)]
    pub(super) fn gaussian_capacities(&self) -> [usize; 2] {
        [self.inv_var_x.capacity(), self.dlvx.capacity()]
    }
}

/// `buf` ← `len` zeros, reusing its allocation.
fn zeros(buf: &mut Vec<f32>, len: usize) {
    buf.clear();
    buf.resize(len, 0.0);
}

/// The activations a [`Forward`] keeps: only the losses (the buffers live in a workspace).
pub(super) struct Forward {
    pub(super) losses: Losses,
}

impl Vae {
    /// Forward pass on `x` (n, D) with noise `eps` (n, Z); mean losses per example.
    pub(super) fn forward(&self, x: &[f32], eps: &[f32], beta: f32) -> Forward {
        let mut ws = Workspace {
            eps: eps.to_vec(),
            ..Workspace::default()
        };
        Forward {
            losses: self.pass(&mut ws, x, Objective::beta(beta), false),
        }
    }

    /// The losses and ∂(mean loss)/∂θ, flattened in the order of [`Vae::params`], for
    /// inputs `x` (n, D) and fixed noise `eps` (n, Z).
    #[cfg(test)]
    pub(super) fn loss_and_grad(&self, x: &[f32], eps: &[f32], beta: f32) -> (Losses, Vec<f32>) {
        self.objective_and_grad(x, eps, Objective::beta(beta))
    }

    /// [`Vae::loss_and_grad`] for any [`Objective`].
    #[cfg(test)]
    pub(super) fn objective_and_grad(
        &self,
        x: &[f32],
        eps: &[f32],
        objective: Objective,
    ) -> (Losses, Vec<f32>) {
        let mut ws = Workspace {
            eps: eps.to_vec(),
            ..Workspace::default()
        };
        let losses = self.pass(&mut ws, x, objective, true);
        (losses, ws.grads)
    }

    /// The forward pass on `x` (n, D) with noise `ws.eps` (n, Z), and with `grad` the reverse
    /// pass, leaving ∂(mean loss)/∂θ in `ws.grads` (order of [`Vae::params`]). The loss is
    /// recon + the `objective`'s KL term; `kl` is the plain KL either way.
    pub(super) fn pass(
        &self,
        ws: &mut Workspace,
        x: &[f32],
        objective: Objective,
        grad: bool,
    ) -> Losses {
        let n = x.len() / self.pixels();
        let zn = n * self.latent();
        let variational = self.mode == Mode::Variational;
        let act = self.activation;
        self.enc.forward_into(x, &mut ws.h1, n, &mut ws.pack);
        act.apply(&mut ws.h1); // (n, H)
        self.enc_mu
            .forward_into(&ws.h1, &mut ws.mu, n, &mut ws.pack); // (n, Z)
        if variational {
            self.enc_logvar
                .forward_into(&ws.h1, &mut ws.logvar, n, &mut ws.pack);
        } else {
            zeros(&mut ws.logvar, zn);
        }
        ws.sigma.clear();
        ws.sigma.extend(ws.logvar.iter().map(|lv| (0.5 * lv).exp())); // (n, Z)
        ws.z.clear();
        if variational {
            let noise = ws.mu.iter().zip(&ws.sigma).zip(&ws.eps);
            ws.z.extend(noise.map(|((m, s), e)| m + s * e));
        } else {
            ws.z.extend_from_slice(&ws.mu);
        } // (n, Z)
        self.decoder_pass(ws, n);
        let inv_n = 1.0 / n as f32;
        let recon = self.recon_sum(ws, x, grad.then_some(inv_n)) * inv_n;
        // ½ (μ² + (e^lv − 1 − lv)): every term ≥ 0, no cancellation near lv = 0.
        let kl = if variational {
            0.5 * ws
                .mu
                .iter()
                .zip(&ws.logvar)
                .map(|(&m, &lv)| m * m + (lv.exp_m1() - lv))
                .sum::<f32>()
                * inv_n
        } else {
            0.0
        };
        let kl_term = self.kl_term(ws, objective, kl, n);
        if grad {
            self.backward(ws, x, n);
        }
        Losses {
            loss: recon + objective.beta * kl_term,
            recon,
            kl,
        }
    }

    /// The reverse pass from ∂L/∂(decoder output) in `ws.logits` (and, for a Gaussian,
    /// ∂L/∂log σ_x² in `ws.dlvx`) into `ws.grads`.
    fn backward(&self, ws: &mut Workspace, x: &[f32], n: usize) {
        let (h, zd) = (self.enc.outputs, self.latent());
        let variational = self.mode == Mode::Variational;
        let act = self.activation;
        // Taken out of the workspace while its slices are filled (a move: no allocation).
        let mut grads = std::mem::take(&mut ws.grads);
        zeros(&mut grads, self.num_params());
        let (g_enc, rest) = grads.split_at_mut(self.enc.num_params());
        let (g_mu, rest) = rest.split_at_mut(self.enc_mu.num_params());
        let (g_lv, rest) = rest.split_at_mut(self.enc_logvar.num_params());
        let (g_dec, rest) = rest.split_at_mut(self.dec.num_params());
        let (g_out, g_lvx) = rest.split_at_mut(self.dec_out.num_params());
        if self.likelihood == Likelihood::Gaussian {
            g_lvx.copy_from_slice(&ws.dlvx);
        }
        self.decoder_backward(ws, n, Some((g_dec, g_out))); // ∂L/∂z in ws.dz, (n, Z)
        let (scratch, pack) = (&mut ws.scratch, &mut ws.pack);
        // ∂L/∂μ = ∂L/∂z + w μ;  ∂L/∂lv = ∂L/∂z · ε · ½σ + w · ½(e^lv − 1), with the KL
        // term's weight w of the dimension (β/n; 0 for one held at the free bits, see kl_term).
        let kl_w = &ws.kl_w;
        let weights = || kl_w.iter().cycle();
        ws.dlv.clear();
        if variational {
            let parts = ws.dz.iter().zip(&ws.eps).zip(&ws.sigma).zip(&ws.logvar);
            ws.dlv.extend(
                parts
                    .zip(weights())
                    .map(|((((dz, e), s), lv), w)| dz * e * 0.5 * s + w * 0.5 * lv.exp_m1()),
            );
        }
        for ((dz, m), w) in ws.dz.iter_mut().zip(&ws.mu).zip(weights()) {
            *dz += w * m; // now ∂L/∂μ
        }
        // Encoder heads, both feeding ∂L/∂h₁.
        self.enc_mu.grads_into(&ws.h1, &ws.dz, n, g_mu, scratch);
        zeros(&mut ws.dh1, n * h);
        matmul_nt(
            &ws.dz,
            &self.enc_mu.w,
            &mut ws.dh1,
            (n, zd, h),
            scratch,
            pack,
        );
        if variational {
            self.enc_logvar
                .grads_into(&ws.h1, &ws.dlv, n, g_lv, scratch);
            matmul_nt(
                &ws.dlv,
                &self.enc_logvar.w,
                &mut ws.dh1,
                (n, zd, h),
                scratch,
                pack,
            );
        }
        act.backward(&ws.h1, &mut ws.dh1); // ∂L/∂a₁, (n, H)
        // Encoder hidden layer (no ∂L/∂x needed).
        self.enc.grads_into(x, &ws.dh1, n, g_enc, scratch);
        ws.grads = grads;
    }

    /// The decoder's forward pass from the codes `ws.z` (n, Z): hidden `ws.h2` (n, H) and
    /// outputs `ws.logits` (n, D), logits or means.
    fn decoder_pass(&self, ws: &mut Workspace, n: usize) {
        self.dec.forward_into(&ws.z, &mut ws.h2, n, &mut ws.pack);
        self.activation.apply(&mut ws.h2); // (n, H)
        self.dec_out
            .forward_into(&ws.h2, &mut ws.logits, n, &mut ws.pack); // (n, D)
    }

    /// The decoder's reverse pass from ∂L/∂(decoder output) in `ws.logits` (n, D): ∂L/∂z into
    /// `ws.dz` (n, Z), through ∂L/∂a₂ in `ws.dh2` (n, H). With `grads` = Some((g_dec, g_out))
    /// also the decoder's parameter gradients (each slice zeroed beforehand):
    ///
    /// ∂L/∂W_out = h₂ᵀ·∂L/∂out,  ∂L/∂h₂ = ∂L/∂out·W_outᵀ,  ∂L/∂a₂ = ∂L/∂h₂ · f′,
    /// ∂L/∂W_dec = zᵀ·∂L/∂a₂,  ∂L/∂z = ∂L/∂a₂·W_decᵀ
    fn decoder_backward(
        &self,
        ws: &mut Workspace,
        n: usize,
        grads: Option<(&mut [f32], &mut [f32])>,
    ) {
        let (d, h, zd) = (self.pixels(), self.enc.outputs, self.latent());
        let (scratch, pack) = (&mut ws.scratch, &mut ws.pack);
        let (g_dec, g_out) = grads.unzip();
        if let Some(g_out) = g_out {
            self.dec_out
                .grads_into(&ws.h2, &ws.logits, n, g_out, scratch);
        }
        zeros(&mut ws.dh2, n * h);
        matmul_nt(
            &ws.logits,
            &self.dec_out.w,
            &mut ws.dh2,
            (n, d, h),
            scratch,
            pack,
        );
        self.activation.backward(&ws.h2, &mut ws.dh2); // ∂L/∂a₂, (n, H)
        if let Some(g_dec) = g_dec {
            self.dec.grads_into(&ws.z, &ws.dh2, n, g_dec, scratch);
        }
        zeros(&mut ws.dz, n * zd);
        matmul_nt(&ws.dh2, &self.dec.w, &mut ws.dz, (n, h, zd), scratch, pack);
    }

    /// −ln p(x | zₖ) summed over the rows of `z` (K, Z) against `x_rows` (K, D; the image
    /// repeated, or K images), in f32, and ∂(−ln p(x | zₖ))/∂zₖ for each row, (K, Z), written
    /// into `dz`. The decoder's own reverse pass ([`Vae::decoder_backward`]) without the
    /// parameter gradients; the model is unchanged. Shapes are the caller's to check.
    pub(super) fn neg_log_lik_and_z_grad(
        &self,
        ws: &mut Workspace,
        x_rows: &[f32],
        z: &[f32],
        dz: &mut Vec<f32>,
    ) -> f32 {
        let n = z.len() / self.latent();
        ws.z.clear();
        ws.z.extend_from_slice(z);
        self.decoder_pass(ws, n);
        let total = self.recon_sum(ws, x_rows, Some(1.0));
        self.decoder_backward(ws, n, None);
        dz.clear();
        dz.extend_from_slice(&ws.dz);
        total
    }
}
