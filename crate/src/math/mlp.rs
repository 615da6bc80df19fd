//! A small multilayer perceptron in f32, with hand-written reverse mode: dense layers,
//! tanh and ReLU, and binary cross-entropy from logits. Matrices are plain row-major
//! `Vec<f32>`; a batch of `n` rows of width `k` is a slice of length n·k.

use super::rng::SplitMix64;

/// A fully connected layer y = x·W + b.
///
/// `w` has shape (inputs, outputs), row-major; `b` has shape (outputs).
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    /// Width of each input row.
    pub inputs: usize,
    /// Width of each output row.
    pub outputs: usize,
    /// Weights, shape (inputs, outputs).
    pub w: Vec<f32>,
    /// Bias, shape (outputs).
    pub b: Vec<f32>,
}

/// Gradients returned by [`Dense::backward`].
#[derive(Debug, Clone, PartialEq)]
pub struct DenseGrads {
    /// ∂L/∂x, shape (batch, inputs).
    pub dx: Vec<f32>,
    /// ∂L/∂W, shape (inputs, outputs).
    pub dw: Vec<f32>,
    /// ∂L/∂b, shape (outputs).
    pub db: Vec<f32>,
}

impl Dense {
    /// A layer with zero weights and bias.
    pub fn zeros(inputs: usize, outputs: usize) -> Self {
        Self {
            inputs,
            outputs,
            w: vec![0.0; inputs * outputs],
            b: vec![0.0; outputs],
        }
    }

    /// Glorot-uniform initialisation (Glorot & Bengio 2010): Wᵢⱼ ~ U(−a, a) with
    /// a = √(6 / (inputs + outputs)), b = 0. Deterministic given the state of `rng`.
    pub fn glorot(inputs: usize, outputs: usize, rng: &mut SplitMix64) -> Self {
        let a = (6.0 / (inputs + outputs).max(1) as f64).sqrt();
        let mut layer = Self::zeros(inputs, outputs);
        for w in &mut layer.w {
            *w = (a * (2.0 * rng.uniform() - 1.0)) as f32;
        }
        layer
    }

    /// Number of parameters: inputs·outputs + outputs.
    pub fn num_params(&self) -> usize {
        self.w.len() + self.b.len()
    }

    /// Number of rows in a batch `x` of this layer's inputs.
    ///
    /// Panics if `x.len()` is not a multiple of `inputs` (a programming error: callers
    /// validate user data first).
    fn rows(&self, x: &[f32]) -> usize {
        assert!(
            self.inputs > 0 && x.len().is_multiple_of(self.inputs),
            "batch of {} values is not a whole number of rows of width {}",
            x.len(),
            self.inputs
        );
        x.len() / self.inputs
    }

    /// Forward pass on a batch: y = x·W + b, x of shape (batch, inputs) → y of shape
    /// (batch, outputs). Panics if `x.len()` is not a multiple of `inputs`.
    pub fn forward(&self, x: &[f32]) -> Vec<f32> {
        let batch = self.rows(x);
        let (k, m) = (self.inputs, self.outputs);
        let mut y = Vec::with_capacity(batch * m); // (batch, outputs)
        for row in x.chunks_exact(k) {
            let mut out = self.b.clone(); // (outputs)
            for (&xi, wrow) in row.iter().zip(self.w.chunks_exact(m)) {
                for (o, &wij) in out.iter_mut().zip(wrow) {
                    *o += xi * wij;
                }
            }
            y.extend_from_slice(&out);
        }
        y
    }

    /// Backward pass, given the layer's input `x` (batch, inputs) and ∂L/∂y (batch, outputs):
    ///
    /// ∂L/∂x = ∂L/∂y · Wᵀ,  ∂L/∂W = xᵀ · ∂L/∂y,  ∂L/∂b = Σ_rows ∂L/∂y
    ///
    /// Panics if the shapes disagree.
    pub fn backward(&self, x: &[f32], dy: &[f32]) -> DenseGrads {
        let batch = self.rows(x);
        let (k, m) = (self.inputs, self.outputs);
        assert_eq!(
            dy.len(),
            batch * m,
            "∂L/∂y must have shape (batch, outputs)"
        );
        let mut dx = vec![0.0; batch * k]; // (batch, inputs)
        let mut dw = vec![0.0; k * m]; // (inputs, outputs)
        let mut db = vec![0.0; m]; // (outputs)
        for ((xrow, dyrow), dxrow) in x
            .chunks_exact(k)
            .zip(dy.chunks_exact(m))
            .zip(dx.chunks_exact_mut(k))
        {
            for (b, &g) in db.iter_mut().zip(dyrow) {
                *b += g;
            }
            for (i, (&xi, wrow)) in xrow.iter().zip(self.w.chunks_exact(m)).enumerate() {
                let dwrow = &mut dw[i * m..(i + 1) * m];
                let mut acc = 0.0;
                for ((dwij, &wij), &g) in dwrow.iter_mut().zip(wrow).zip(dyrow) {
                    *dwij += xi * g;
                    acc += wij * g;
                }
                dxrow[i] = acc;
            }
        }
        DenseGrads { dx, dw, db }
    }
}

/// tanh applied elementwise: h = tanh(a), values in (−1, 1).
pub fn tanh(a: &[f32]) -> Vec<f32> {
    a.iter().map(|v| v.tanh()).collect()
}

/// Backward of [`tanh`] **from its output** h: ∂L/∂a = ∂L/∂h · (1 − h²).
/// `h` and `dh` have the same shape.
pub fn tanh_backward(h: &[f32], dh: &[f32]) -> Vec<f32> {
    assert_eq!(h.len(), dh.len(), "tanh_backward: shapes differ");
    h.iter().zip(dh).map(|(&h, &g)| g * (1.0 - h * h)).collect()
}

/// ReLU applied elementwise: max(a, 0).
pub fn relu(a: &[f32]) -> Vec<f32> {
    a.iter().map(|&v| v.max(0.0)).collect()
}

/// Backward of [`relu`] **from its input** a: ∂L/∂a = ∂L/∂h · 1[a > 0] (subgradient 0 at
/// a = 0). `a` and `dh` have the same shape.
pub fn relu_backward(a: &[f32], dh: &[f32]) -> Vec<f32> {
    assert_eq!(a.len(), dh.len(), "relu_backward: shapes differ");
    a.iter()
        .zip(dh)
        .map(|(&a, &g)| if a > 0.0 { g } else { 0.0 })
        .collect()
}

/// The logistic sigmoid σ(l) = 1 / (1 + e^{−l}), computed without overflow: for l < 0 as
/// e^l / (1 + e^l). **Input: a logit**; output in [0, 1]. NaN in, NaN out.
pub fn sigmoid(l: f32) -> f32 {
    if l >= 0.0 {
        1.0 / (1.0 + (-l).exp())
    } else {
        let e = l.exp();
        e / (1.0 + e)
    }
}

/// Binary cross-entropy of a target `x` ∈ [0, 1] under a Bernoulli with **logit** `l`, in nats:
///
/// BCE(l, x) = −x ln σ(l) − (1 − x) ln(1 − σ(l)) = max(l, 0) − l·x + ln(1 + e^{−|l|})
///
/// The right-hand form never overflows and is exact for |l| up to f32's range (e.g.
/// BCE(100, 1) ≈ 0, BCE(−100, 1) = 100). ≥ 0 for binary x; for fractional x its minimum
/// is the entropy of Bernoulli(x), not 0.
pub fn bce_with_logits(l: f32, x: f32) -> f32 {
    l.max(0.0) - l * x + (-l.abs()).exp().ln_1p()
}

/// ∂BCE/∂l = σ(l) − x.
pub fn bce_with_logits_grad(l: f32, x: f32) -> f32 {
    sigmoid(l) - x
}

#[cfg(test)]
mod tests;
