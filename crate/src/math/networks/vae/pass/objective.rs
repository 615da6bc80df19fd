//! What a training step minimises, per minibatch: the reconstruction term −ln p(x | z)
//! summed over the rows (Bernoulli logits or Gaussian means, with its gradient), and the KL
//! term with its weight β and the free bits λ ([`Objective`]).

use super::*;
use crate::math::networks::mlp::bce_with_logits_and_grad;

/// Σ BCE(logits, x) over all pixels, with [`NR`] partial sums so the loop vectorises. With
/// `grad_scale` = Some(s), also overwrites each logit by s · ∂BCE/∂logit = s · (σ(l) − x).
fn bce_sum(logits: &mut [f32], x: &[f32], grad_scale: Option<f32>) -> f32 {
    let mut acc = [0.0f32; NR];
    let mut lc = logits.chunks_exact_mut(NR);
    let mut xc = x.chunks_exact(NR);
    for (ls, xs) in (&mut lc).zip(&mut xc) {
        for q in 0..NR {
            let (b, g) = bce_with_logits_and_grad(ls[q], xs[q]);
            acc[q] += b;
            if let Some(s) = grad_scale {
                ls[q] = g * s;
            }
        }
    }
    for (l, &x) in lc.into_remainder().iter_mut().zip(xc.remainder()) {
        let (b, g) = bce_with_logits_and_grad(*l, x);
        acc[0] += b;
        if let Some(s) = grad_scale {
            *l = g * s;
        }
    }
    acc.iter().sum()
}

/// Σ over rows and d of ½[ln 2π + log σ_d² + (x_d − m_d)²/σ_d²] for means `m` (n, D) and
/// targets `x` (n, D), with `inv_var` ← 1/σ_d² (D). With `grad_scale` = Some(s), also
/// overwrites each mean by s · ∂/∂m_d = s · (m_d − x_d)/σ_d² and leaves
/// s · Σ_rows ∂/∂log σ_d² = s · ½ Σ_rows (1 − (x_d − m_d)²/σ_d²) in `dlv` (D).
fn gaussian_sum(
    m: &mut [f32],
    x: &[f32],
    log_var: &[f32],
    (inv_var, dlv): (&mut Vec<f32>, &mut Vec<f32>),
    grad_scale: Option<f32>,
) -> f32 {
    let d = log_var.len();
    let n = m.len() / d;
    inv_var.clear();
    inv_var.extend(log_var.iter().map(|lv| (-lv).exp()));
    zeros(dlv, d); // Σ_rows (x_d − m_d)²/σ_d² first
    for (ms, xs) in m.chunks_exact_mut(d).zip(x.chunks_exact(d)) {
        for (((m, &x), &iv), sq) in ms
            .iter_mut()
            .zip(xs)
            .zip(inv_var.iter())
            .zip(dlv.iter_mut())
        {
            let r = *m - x;
            *sq += r * r * iv;
            if let Some(s) = grad_scale {
                *m = s * r * iv;
            }
        }
    }
    let mut total = 0.0;
    for (sq, &lv) in dlv.iter_mut().zip(log_var) {
        total += 0.5 * (n as f32 * (LN_2PI as f32 + lv) + *sq);
        *sq = grad_scale.map_or(0.0, |s| s * 0.5 * (n as f32 - *sq));
    }
    total
}

/// The training objective's KL term: its weight β and the free bits λ (nats per dimension).
///
/// The term is β · Σ_d max(λ, KL̄_d), where KL̄_d is dimension d's KL
/// ½(μ_d² + σ_d² − 1 − ln σ_d²) averaged over the minibatch: the per-dimension, batch-averaged
/// free bits of Kingma et al. (2016), one group per latent dimension. A dimension whose
/// KL̄_d ≤ λ costs the constant λ and gets no gradient from the term; the others cost their own
/// KL̄_d. With λ = 0 the term is β · KL (every KL̄_d ≥ 0), computed exactly as without free bits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    /// Weight of the KL term, finite and ≥ 0.
    pub beta: f32,
    /// Free bits λ in nats per latent dimension, finite and ≥ 0 (0: none).
    pub free_bits: f32,
}

impl Objective {
    /// β · KL with no free bits.
    pub fn beta(beta: f32) -> Self {
        Self {
            beta,
            free_bits: 0.0,
        }
    }
}

impl Vae {
    /// The KL term's value before β (Σ_d max(λ, KL̄_d), or `kl` itself without free bits), and
    /// its weight per dimension in `ws.kl_w`: β/n, or 0 for a dimension held at λ (or in
    /// autoencoder mode). Uses `ws.mu` and `ws.logvar` (n, Z).
    pub(super) fn kl_term(
        &self,
        ws: &mut Workspace,
        objective: Objective,
        kl: f32,
        n: usize,
    ) -> f32 {
        let zd = self.latent();
        let variational = self.mode == Mode::Variational;
        let w = if variational {
            objective.beta / n as f32
        } else {
            0.0
        };
        ws.kl_w.clear();
        ws.kl_w.resize(zd, w);
        if !(variational && objective.free_bits > 0.0) {
            return kl;
        }
        zeros(&mut ws.kl_dim, zd);
        for (mu, lv) in ws.mu.chunks_exact(zd).zip(ws.logvar.chunks_exact(zd)) {
            for ((k, &m), &lv) in ws.kl_dim.iter_mut().zip(mu).zip(lv) {
                *k += 0.5 * (m * m + (lv.exp_m1() - lv));
            }
        }
        let mut term = 0.0;
        for (k, w) in ws.kl_dim.iter_mut().zip(ws.kl_w.iter_mut()) {
            *k /= n as f32;
            if *k <= objective.free_bits {
                *w = 0.0;
            }
            term += k.max(objective.free_bits);
        }
        term
    }

    /// Σ over rows of −ln p(x | z) from the decoder outputs in `ws.logits` against `x` (n, D),
    /// in f32. With `grad_scale` = Some(s), overwrites `ws.logits` by s · ∂(−ln p)/∂output
    /// (and, for a Gaussian, leaves s · ∂/∂log σ_x² in `ws.dlvx`).
    pub(super) fn recon_sum(&self, ws: &mut Workspace, x: &[f32], grad_scale: Option<f32>) -> f32 {
        match self.likelihood {
            Likelihood::Bernoulli => bce_sum(&mut ws.logits, x, grad_scale),
            Likelihood::Gaussian => {
                let bufs = (&mut ws.inv_var_x, &mut ws.dlvx);
                gaussian_sum(&mut ws.logits, x, &self.log_var_x, bufs, grad_scale)
            }
        }
    }
}
