//! The reader's own 2-D points for the VAE, from CSV text: two numeric columns x, y and an
//! optional label, one point per line, a header line optional. Checked line by line, with a
//! coded error naming the line; centred and scaled to unit spread like the toy sets; split
//! 80/20 as they are.

use super::toy::{ToySplit, split};
use crate::math::InputError;
use crate::math::error::Code;

/// Largest CSV text read, in bytes.
pub const MAX_BYTES: usize = 512 * 1024;
/// Most points (more is an error: the reader keeps a sample).
pub const MAX_POINTS: usize = 5_000;
/// Fewest points: at least 2 held out after the 80/20 split, and a few to train on.
pub const MIN_POINTS: usize = 10;
/// Most different labels (the latent plot has 10 class colours).
pub const MAX_LABELS: usize = 10;
/// Largest |x|, |y| accepted.
const MAX_ABS: f64 = 1e6;

/// Parsed points: (n, 2) row-major, standardised; labels as class numbers with their names.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    /// (x − mean_x)/scale, (y − mean_y)/scale per point, row-major.
    pub points: Vec<f32>,
    /// Class of each point: the index of its label in `label_names` (all 0 without labels).
    pub labels: Vec<usize>,
    /// The labels in order of first appearance (empty without a label column).
    pub label_names: Vec<String>,
    /// The mean subtracted, [mean_x, mean_y].
    pub mean: [f64; 2],
    /// The one factor both coordinates were divided by: the root mean squared distance of the
    /// points from their mean, divided by √2 (so a standard normal cloud keeps scale 1).
    pub scale: f64,
    /// Whether the first line was taken as a header.
    pub header: bool,
}

fn bad(problem: Code, details: Vec<(&'static str, String)>) -> InputError {
    InputError::BadText { problem, details }
}

/// A number field: a plain decimal (Rust's f64 syntax, but not "inf" or "NaN" spelled out).
fn number(field: &str) -> Option<f64> {
    let t = field.trim();
    let plain = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    if plain { t.parse().ok() } else { None }
}

/// Reads CSV `text` (fields separated by commas, semicolons or tabs; blank lines skipped). The
/// first non-blank line is a header if its x or y field is not a number. Errors, coded with
/// the line number (1-based) where there is one: csv-too-large, csv-empty, csv-fields,
/// csv-number, csv-range, csv-too-few, csv-too-many, csv-labels, csv-no-spread.
pub fn parse_points(text: &str) -> Result<Points, InputError> {
    if text.len() > MAX_BYTES {
        return Err(bad(
            Code::CsvTooLarge,
            vec![
                ("bytes", text.len().to_string()),
                ("max", MAX_BYTES.to_string()),
            ],
        ));
    }
    let mut raw: Vec<[f64; 2]> = Vec::new();
    let mut labels = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut first_fields = 0;
    let mut header = false;
    for (i, line) in text.lines().enumerate() {
        let line_no = (i + 1).to_string();
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split([',', ';', '\t']).collect();
        let first_line = first_fields == 0 && !header;
        if first_line
            && fields.len() >= 2
            && (number(fields[0]).is_none() || number(fields[1]).is_none())
        {
            header = true;
            continue;
        }
        if !(2..=3).contains(&fields.len()) || (first_fields != 0 && fields.len() != first_fields) {
            let first = if first_fields == 0 {
                fields.len().clamp(2, 3)
            } else {
                first_fields
            };
            return Err(bad(
                Code::CsvFields,
                vec![
                    ("line", line_no),
                    ("count", fields.len().to_string()),
                    ("first", first.to_string()),
                ],
            ));
        }
        first_fields = fields.len();
        let mut xy = [0.0; 2];
        for (k, field) in fields[..2].iter().enumerate() {
            let v = number(field).ok_or_else(|| {
                let shown: String = field.trim().chars().take(40).collect();
                bad(
                    Code::CsvNumber,
                    vec![("line", line_no.clone()), ("value", shown)],
                )
            })?;
            if !(v.is_finite() && v.abs() <= MAX_ABS) {
                return Err(bad(
                    Code::CsvRange,
                    vec![("line", line_no), ("value", v.to_string())],
                ));
            }
            xy[k] = v;
        }
        if raw.len() == MAX_POINTS {
            return Err(bad(Code::CsvTooMany, vec![("max", MAX_POINTS.to_string())]));
        }
        raw.push(xy);
        if fields.len() == 3 {
            let name: String = fields[2].trim().chars().take(32).collect();
            let class = match names.iter().position(|n| *n == name) {
                Some(c) => c,
                None if names.len() == MAX_LABELS => {
                    return Err(bad(
                        Code::CsvLabels,
                        vec![
                            ("line", line_no),
                            ("value", name),
                            ("count", (MAX_LABELS + 1).to_string()),
                            ("max", MAX_LABELS.to_string()),
                        ],
                    ));
                }
                None => {
                    names.push(name);
                    names.len() - 1
                }
            };
            labels.push(class);
        } else {
            labels.push(0);
        }
    }
    if raw.is_empty() {
        return Err(bad(Code::CsvEmpty, vec![]));
    }
    if raw.len() < MIN_POINTS {
        return Err(bad(
            Code::CsvTooFew,
            vec![
                ("count", raw.len().to_string()),
                ("min", MIN_POINTS.to_string()),
            ],
        ));
    }
    let n = raw.len() as f64;
    let mean = [0, 1].map(|k| raw.iter().map(|p| p[k]).sum::<f64>() / n);
    let spread: f64 = raw
        .iter()
        .map(|p| (p[0] - mean[0]).powi(2) + (p[1] - mean[1]).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    let scale = spread.sqrt();
    if scale <= 1e-12 * (1.0 + mean[0].abs().max(mean[1].abs())) {
        return Err(bad(Code::CsvNoSpread, vec![]));
    }
    let points = raw
        .iter()
        .flat_map(|p| {
            [
                ((p[0] - mean[0]) / scale) as f32,
                ((p[1] - mean[1]) / scale) as f32,
            ]
        })
        .collect();
    Ok(Points {
        points,
        labels,
        label_names: names,
        mean,
        scale,
        header,
    })
}

impl Points {
    /// The points shuffled from `seed` and split 80/20, as the toy sets are.
    pub fn split(&self, seed: u64) -> ToySplit {
        split(&self.points, &self.labels, seed)
    }
}

#[cfg(test)]
mod tests;
