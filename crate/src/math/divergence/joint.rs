//! Two discrete variables: joint and conditional entropies, mutual information, and the
//! data-processing inequality on a chain X → Y → Z (Cover & Thomas, ch. 2).
//!
//! Every quantity is a sum of non-negative terms, none a difference of entropies:
//! - H(X, Y), H(X), H(Y): −p ln p = p·ln(1 + rest/p), rest = the sum of every other entry;
//! - H(X | Y) = Σ p(x, y)·ln(1 + (p(y) − p(x, y))/p(x, y)), p(y) − p(x, y) summed from the
//!   other cells of the column (and H(Y | X) from the row);
//! - I(X; Y) = KL(p(x, y) ‖ p(x)p(y)) as Σ q·φ(r) like [`crate::math::divergence::discrete`], r = (p − q)/q.
//!
//! For a nearly independent joint, p − q is far below q: it is formed in double-double
//! arithmetic (marginals, products and the difference carried to ~1e-32), so r keeps its
//! digits where H(X) + H(Y) − H(X, Y) would cancel to noise.

use crate::math::InputError;
use crate::math::divergence::discrete::{SERIES_LIMIT, ln_ratio, phi_series};
use crate::math::error::Code;
use crate::math::information::info::{SUM_TOLERANCE, check_distribution, ln_base};

/// Fewest and most values each variable takes here.
pub const MIN_VALUES: usize = 2;
pub const MAX_VALUES: usize = 6;

/// Everything the information diagram shows, in units of the base asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct JointReport {
    pub h_x: f64,
    pub h_y: f64,
    pub h_xy: f64,
    pub h_x_given_y: f64,
    pub h_y_given_x: f64,
    pub mutual_information: f64,
    /// The marginals p(x) and p(y) of the normalised joint.
    pub px: Vec<f64>,
    pub py: Vec<f64>,
}

/// A double-double number hi + lo, |lo| ≤ ulp(hi)/2.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dd(f64, f64);

/// a + b = s + e exactly (Knuth's TwoSum).
fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd(s, (a - (s - bb)) + (b - bb))
}

/// a·b = p + e exactly (fused multiply-add; software-exact on wasm too).
fn two_prod(a: f64, b: f64) -> Dd {
    let p = a * b;
    Dd(p, a.mul_add(b, -p))
}

impl Dd {
    fn add(self, b: f64) -> Dd {
        let s = two_sum(self.0, b);
        let r = two_sum(s.0, s.1 + self.1);
        Dd(r.0, r.1)
    }
    fn add_dd(self, b: Dd) -> Dd {
        let s = two_sum(self.0, b.0);
        two_sum(s.0, s.1 + self.1 + b.1)
    }
    fn neg(self) -> Dd {
        Dd(-self.0, -self.1)
    }
    fn mul(self, b: Dd) -> Dd {
        let p = two_prod(self.0, b.0);
        two_sum(p.0, p.1 + (self.0 * b.1 + self.1 * b.0))
    }
    fn div(self, b: Dd) -> Dd {
        let q1 = self.0 / b.0;
        let r = self.add_dd(Dd(q1, 0.0).mul(b).neg());
        two_sum(q1, r.0 / b.0)
    }
}

/// Σ xs in double-double.
fn dd_sum(xs: impl Iterator<Item = f64>) -> Dd {
    xs.fold(Dd(0.0, 0.0), Dd::add)
}

/// p·ln(1 + rest/p) = −p ln(p/(p + rest)) in nats, for p ≥ 0, rest ≥ 0; 0 for p = 0.
fn plog_share(p: f64, rest: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    let ratio = rest.max(0.0) / p;
    if ratio.is_finite() {
        p * ratio.ln_1p()
    } else {
        p * ((p + rest).ln() - p.ln()) // p subnormal: rest/p overflows
    }
}

/// A count of values (nx, ny, nz), given as a number: a whole number from 2 to 6.
pub fn axis_size(value: f64, name: &'static str) -> Result<usize, InputError> {
    if value.fract() == 0.0 && (MIN_VALUES as f64..=MAX_VALUES as f64).contains(&value) {
        Ok(value as usize)
    } else {
        Err(InputError::OutOfRange {
            name,
            value,
            rule: Code::JointSize,
        })
    }
}

/// The number of columns of a row-major table of `len` entries and `rows` rows (2–6 each).
fn columns(len: usize, rows: usize, name: &'static str) -> Result<usize, InputError> {
    let cols = len / rows.max(1);
    if rows == 0 || !len.is_multiple_of(rows) || !(MIN_VALUES..=MAX_VALUES).contains(&cols) {
        return Err(InputError::OutOfRange {
            name,
            value: len as f64,
            rule: Code::JointShape,
        });
    }
    Ok(cols)
}

/// Checks the joint and its shape; returns ny.
fn check_joint(joint: &[f64], nx: usize) -> Result<usize, InputError> {
    axis_size(nx as f64, "nx")?;
    check_distribution(joint, "joint")?;
    columns(joint.len(), nx, "joint")
}

/// The report in nats for a checked joint with `nx` rows and `ny` columns.
fn report_nats(joint: &[f64], nx: usize, ny: usize) -> JointReport {
    let cell = |i: usize, j: usize| joint[i * ny + j];
    let px: Vec<Dd> = (0..nx)
        .map(|i| dd_sum((0..ny).map(|j| cell(i, j))))
        .collect();
    let py: Vec<Dd> = (0..ny)
        .map(|j| dd_sum((0..nx).map(|i| cell(i, j))))
        .collect();
    let s = dd_sum(joint.iter().copied());
    // Σ of every entry but one, summed directly: a total minus the part would lose a tiny
    // rest (1e-300 next to 1) even in double-double.
    let others = |xs: &[f64], k: usize| -> f64 {
        xs.iter()
            .enumerate()
            .filter(|&(m, _)| m != k)
            .map(|(_, &x)| x)
            .sum()
    };
    let (mx, my): (Vec<f64>, Vec<f64>) = (
        px.iter().map(|m| m.0).collect(),
        py.iter().map(|m| m.0).collect(),
    );
    let h_xy: f64 = (0..joint.len())
        .map(|k| plog_share(joint[k], others(joint, k)))
        .sum();
    let h_x: f64 = (0..nx).map(|i| plog_share(mx[i], others(&mx, i))).sum();
    let h_y: f64 = (0..ny).map(|j| plog_share(my[j], others(&my, j))).sum();
    let column = |j: usize| -> Vec<f64> { (0..nx).map(|i| cell(i, j)).collect() };
    let mut h_x_given_y = 0.0;
    let mut h_y_given_x = 0.0;
    let mut mi = 0.0;
    for (i, &pxi) in px.iter().enumerate() {
        for (j, &pyj) in py.iter().enumerate() {
            let p = cell(i, j);
            h_x_given_y += plog_share(p, others(&column(j), i));
            h_y_given_x += plog_share(p, others(&joint[i * ny..(i + 1) * ny], j));
            // q = p(x)p(y)/s: the product of the normalised marginals, in the joint's scale,
            // so Σ q = Σ p exactly and Σ (q − p) drops out of the generalised KL.
            let q = pxi.mul(pyj).div(s);
            mi += if q.0 >= TINY || p == 0.0 {
                kl_term(p, q)
            } else {
                // q under/near underflow (a product of two tiny marginals): in logs.
                let ln_q = pxi.0.ln() + pyj.0.ln() - s.0.ln();
                (p * (p.ln() - ln_q) - p + q.0).max(0.0)
            };
        }
    }
    let n = |x: f64| x / s.0;
    JointReport {
        h_x: n(h_x),
        h_y: n(h_y),
        h_xy: n(h_xy),
        h_x_given_y: n(h_x_given_y),
        h_y_given_x: n(h_y_given_x),
        mutual_information: n(mi),
        px: px.iter().map(|m| m.0 / s.0).collect(),
        py: py.iter().map(|m| m.0 / s.0).collect(),
    }
}

/// Below this a product of marginals may have lost digits to underflow.
const TINY: f64 = 1e-280;

/// p ln(p/q) − p + q ≥ 0 in nats, with q in double-double; 0 where q = 0 (then p = 0 too).
fn kl_term(p: f64, q: Dd) -> f64 {
    if q.0 <= 0.0 {
        return 0.0;
    }
    if p == 0.0 {
        return q.0;
    }
    let d = two_sum(p, -q.0).add(-q.1).0; // p − q, to ~1e-32·q
    let r = d / q.0;
    if r.abs() < SERIES_LIMIT {
        q.0 * phi_series(r)
    } else {
        (p * ln_ratio(p, q.0, r) - d).max(0.0)
    }
}

/// Joint, marginal and conditional entropies and the mutual information of a joint
/// distribution p(x, y), in units of `base` (2: bits, e: nats).
///
/// H(X, Y) = −Σ p(x, y) log p(x, y)            (the joint entropy; not 2.1's cross-entropy)
/// H(Y | X) = Σₓ p(x) H(Y | X = x) = −Σ p(x, y) log p(y | x)
/// I(X; Y) = Σ p(x, y) log [p(x, y) / (p(x) p(y))] = KL(p(x, y) ‖ p(x) p(y))
///
/// **Input: probabilities**, row-major: `joint[i·ny + j]` = p(X = i, Y = j), `nx` rows of
/// ny entries, nx and ny from 2 to 6; checked by [`check_distribution`] (Σ = 1 ± 1e-9) and
/// divided by their sum. 0·log 0 = 0. Each value is a sum of non-negative terms, accurate to
/// ~1e-15 relative, I included when X and Y are nearly independent (I = 0 exactly for an
/// exact product). H(X, Y) = H(X) + H(Y | X) and I = H(X) − H(X | Y) hold to rounding.
pub fn joint_report(joint: &[f64], nx: usize, base: f64) -> Result<JointReport, InputError> {
    let ln_b = ln_base(base)?;
    let ny = check_joint(joint, nx)?;
    let r = report_nats(joint, nx, ny);
    let u = |x: f64| x / ln_b + 0.0;
    Ok(JointReport {
        h_x: u(r.h_x),
        h_y: u(r.h_y),
        h_xy: u(r.h_xy),
        h_x_given_y: u(r.h_x_given_y),
        h_y_given_x: u(r.h_y_given_x),
        mutual_information: u(r.mutual_information),
        ..r
    })
}

/// Checks a channel (row-major, `rows` rows, each a distribution over its columns) and
/// returns it with each row divided by its sum, and its number of columns.
fn check_channel(
    c: &[f64],
    rows: usize,
    name: &'static str,
) -> Result<(Vec<f64>, usize), InputError> {
    for (index, &value) in c.iter().enumerate() {
        if !value.is_finite() {
            return Err(InputError::NotFinite { name, index, value });
        }
        if value < 0.0 {
            return Err(InputError::Negative { name, index, value });
        }
    }
    let cols = columns(c.len(), rows, name)?;
    let mut out = c.to_vec();
    for (row, chunk) in out.chunks_mut(cols).enumerate() {
        let sum: f64 = chunk.iter().sum();
        if (sum - 1.0).abs() > SUM_TOLERANCE {
            return Err(InputError::OutOfRange {
                name,
                value: row as f64,
                rule: Code::ChannelRow,
            });
        }
        chunk.iter_mut().for_each(|x| *x /= sum);
    }
    Ok((out, cols))
}

/// I(X; Y) and I(X; Z), in units of `base`, for the Markov chain X → Y → Z with
/// X ~ `px`, Y | X through `channel_a` (row-major p(y | x): one row of `ny` entries per
/// value of X) and Z | Y through `channel_b` (one row of `nz` per value of Y).
///
/// **Input: probabilities**: px (2–6 entries) checked by [`check_distribution`]; every row
/// of a channel must sum to 1 ± 1e-9 (rows are divided by their sums). Data processing:
/// I(X; Z) ≤ I(X; Y), with equality e.g. when channel B is a permutation.
pub fn data_processing(
    px: &[f64],
    channel_a: &[f64],
    ny: usize,
    channel_b: &[f64],
    nz: usize,
    base: f64,
) -> Result<(f64, f64), InputError> {
    let ln_b = ln_base(base)?;
    check_distribution(px, "px")?;
    let nx = axis_size(px.len() as f64, "px.length")?;
    axis_size(ny as f64, "ny")?;
    axis_size(nz as f64, "nz")?;
    let (a, ca) = check_channel(channel_a, nx, "channelA")?;
    let (b, cb) = check_channel(channel_b, ny, "channelB")?;
    if ca != ny {
        return Err(InputError::OutOfRange {
            name: "channelA",
            value: channel_a.len() as f64,
            rule: Code::JointShape,
        });
    }
    if cb != nz {
        return Err(InputError::OutOfRange {
            name: "channelB",
            value: channel_b.len() as f64,
            rule: Code::JointShape,
        });
    }
    let s: f64 = px.iter().sum();
    let xy: Vec<f64> = (0..nx * ny).map(|k| px[k / ny] / s * a[k]).collect();
    let xz: Vec<f64> = (0..nx * nz)
        .map(|k| {
            let (i, m) = (k / nz, k % nz);
            let through: f64 = (0..ny).map(|j| a[i * ny + j] * b[j * nz + m]).sum();
            px[i] / s * through
        })
        .collect();
    let i_xy = report_nats(&xy, nx, ny).mutual_information;
    let i_xz = report_nats(&xz, nx, nz).mutual_information;
    Ok((i_xy / ln_b + 0.0, i_xz / ln_b + 0.0))
}

#[cfg(test)]
#[path = "joint_tests.rs"]
mod tests;
