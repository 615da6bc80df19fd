//! Loader for `www/data/digits.bin`: the UCI handwritten digits (8×8 images, pixel values
//! 0–16, labels 0–9) split into train and test sets by `www/data/make_digits.py`.
//!
//! Layout (documented in `www/data/README.md`): the ASCII magic `DIGITS01`; four
//! little-endian u32 (`n_train`, `n_test`, `width`, `height`); then train pixels (u8,
//! one byte per pixel, each image row-major), train labels (u8), test pixels, test labels.
//! Pixels are scaled here to [0, 1] as value / 16.

use crate::math::{Code, InputError};
use ndarray::Array2;

/// The 8 ASCII bytes every digits file starts with.
pub const MAGIC: &[u8; 8] = b"DIGITS01";
/// Bytes before the pixels: the magic and four u32 counts.
pub const HEADER_LEN: usize = 8 + 4 * 4;
/// Largest raw pixel value (a count of "on" bits in a 4×4 block of the 32×32 scan).
pub const MAX_PIXEL: u8 = 16;
/// Number of classes: labels run from 0 to 9.
pub const CLASSES: u8 = 10;

const NAME: &str = "digits.bin";

/// One split (train or test) of the data set.
#[derive(Debug, Clone, PartialEq)]
pub struct DigitSplit {
    /// One image per row, shape (images, `width × height`), each image row-major, in [0, 1].
    pub pixels: Array2<f32>,
    /// Digit shown in each image, 0–9.
    pub labels: Vec<u8>,
}

impl DigitSplit {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when the split holds no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// All images back to back (the rows of [`DigitSplit::pixels`], in order).
    pub fn flat(&self) -> &[f32] {
        self.pixels.as_slice().expect("built in standard layout")
    }
}

/// The whole parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Digits {
    /// Image width in pixels (8).
    pub width: usize,
    /// Image height in pixels (8).
    pub height: usize,
    /// Training images (1,437 in the committed file).
    pub train: DigitSplit,
    /// Held-out test images (360 in the committed file).
    pub test: DigitSplit,
}

impl Digits {
    /// Pixels per image, `width × height`.
    pub fn pixels_per_image(&self) -> usize {
        self.width * self.height
    }

    /// Pixels of training image `i` (row-major, in [0, 1]); panics if `i` is out of range.
    pub fn train_image(&self, i: usize) -> &[f32] {
        self.train
            .pixels
            .row(i)
            .to_slice()
            .expect("standard layout")
    }

    /// Pixels of test image `i` (row-major, in [0, 1]); panics if `i` is out of range.
    pub fn test_image(&self, i: usize) -> &[f32] {
        self.test.pixels.row(i).to_slice().expect("standard layout")
    }
}

/// The error for a file that breaks the layout: `problem` says how, `details` fill its template.
fn corrupt(problem: Code, details: &[(&'static str, usize)]) -> InputError {
    InputError::CorruptFile {
        name: NAME,
        problem,
        details: details.iter().map(|&(k, v)| (k, v.to_string())).collect(),
    }
}

fn read_u32(bytes: &[u8], at: usize) -> usize {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word) as usize
}

/// Take the next `len` bytes of `bytes` starting at `*at`, advancing `*at`.
fn take<'a>(bytes: &'a [u8], at: &mut usize, len: usize) -> &'a [u8] {
    let part = &bytes[*at..*at + len];
    *at += len;
    part
}

/// The images `raw` (one row of `per_image` bytes each) scaled to [0, 1].
fn scale_pixels(
    raw: &[u8],
    per_image: usize,
    split: &'static str,
) -> Result<Array2<f32>, InputError> {
    let scaled = raw
        .iter()
        .map(|&v| {
            if v > MAX_PIXEL {
                Err(InputError::OutOfRange {
                    name: split,
                    value: f64::from(v),
                    rule: Code::DigitsPixel,
                })
            } else {
                Ok(f32::from(v) / f32::from(MAX_PIXEL))
            }
        })
        .collect::<Result<Vec<f32>, InputError>>()?;
    // `raw` is whole images (the header's counts were checked against the file's length).
    Ok(Array2::from_shape_vec((raw.len() / per_image, per_image), scaled).expect("whole images"))
}

fn check_labels(raw: &[u8], split: &'static str) -> Result<Vec<u8>, InputError> {
    if let Some(&v) = raw.iter().find(|&&v| v >= CLASSES) {
        return Err(InputError::OutOfRange {
            name: split,
            value: f64::from(v),
            rule: Code::DigitsLabel,
        });
    }
    Ok(raw.to_vec())
}

/// Parse the bytes of a digits file, checking the magic, the header counts, the exact
/// length, pixel values 0–16 and labels 0–9. Pixels come back scaled to [0, 1].
pub fn parse_digits(bytes: &[u8]) -> Result<Digits, InputError> {
    if bytes.len() < HEADER_LEN {
        return Err(corrupt(
            Code::FileTooShort,
            &[("len", bytes.len()), ("header", HEADER_LEN)],
        ));
    }
    if &bytes[..8] != MAGIC {
        let mut err = corrupt(Code::FileBadMarker, &[]);
        if let InputError::CorruptFile { details, .. } = &mut err {
            // Debug-quoted, so odd bytes show as escapes rather than as invisible characters.
            let found = format!("{:?}", String::from_utf8_lossy(&bytes[..8]));
            details.push(("found", found));
        }
        return Err(err);
    }
    let n_train = read_u32(bytes, 8);
    let n_test = read_u32(bytes, 12);
    let width = read_u32(bytes, 16);
    let height = read_u32(bytes, 20);
    if width == 0 || height == 0 {
        return Err(corrupt(
            Code::FileBadSize,
            &[("width", width), ("height", height)],
        ));
    }
    // Each image takes width·height pixel bytes plus one label byte.
    let expected = width
        .checked_mul(height)
        .and_then(|p| p.checked_add(1))
        .and_then(|per_image| n_train.checked_add(n_test)?.checked_mul(per_image))
        .and_then(|body| body.checked_add(HEADER_LEN));
    let Some(expected) = expected else {
        return Err(corrupt(
            Code::FileTooLarge,
            &[
                ("train", n_train),
                ("test", n_test),
                ("width", width),
                ("height", height),
            ],
        ));
    };
    if bytes.len() != expected {
        return Err(corrupt(
            Code::FileWrongLength,
            &[
                ("len", bytes.len()),
                ("train", n_train),
                ("test", n_test),
                ("width", width),
                ("height", height),
                ("expected", expected),
            ],
        ));
    }

    let per_image = width * height;
    let mut at = HEADER_LEN;
    let train_pixels = take(bytes, &mut at, n_train * per_image);
    let train_labels = take(bytes, &mut at, n_train);
    let test_pixels = take(bytes, &mut at, n_test * per_image);
    let test_labels = take(bytes, &mut at, n_test);

    Ok(Digits {
        width,
        height,
        train: DigitSplit {
            pixels: scale_pixels(train_pixels, per_image, "trainX")?,
            labels: check_labels(train_labels, "trainY")?,
        },
        test: DigitSplit {
            pixels: scale_pixels(test_pixels, per_image, "testX")?,
            labels: check_labels(test_labels, "testY")?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &[u8] = include_bytes!("../../../../../www/data/digits.bin");

    #[test]
    fn committed_file_has_the_usual_split() {
        let d = parse_digits(REAL).unwrap();
        assert_eq!((d.width, d.height), (8, 8));
        assert_eq!(d.train.len(), 1437);
        assert_eq!(d.test.len(), 360);
        assert_eq!(d.train.pixels.dim(), (1437, 64));
        assert_eq!(d.test.pixels.dim(), (360, 64));
        assert_eq!(d.train_image(1436), &d.train.flat()[1436 * 64..]);
        assert_eq!(REAL.len(), 116_829);
    }

    #[test]
    fn committed_file_labels_and_pixels_are_in_range() {
        let d = parse_digits(REAL).unwrap();
        for split in [&d.train, &d.test] {
            assert!(split.labels.iter().all(|&l| l <= 9));
            assert!(split.pixels.iter().all(|&p| (0.0..=1.0).contains(&p)));
        }
        // Every digit appears in both splits.
        for digit in 0..10u8 {
            assert!(d.train.labels.contains(&digit));
            assert!(d.test.labels.contains(&digit));
        }
    }

    #[test]
    fn committed_file_matches_python_statistics() {
        let d = parse_digits(REAL).unwrap();
        // Computed in Python from the same split (train_test_split(X, y, test_size=0.2,
        // random_state=0) on sklearn's load_digits): raw train pixels sum to 449667 and
        // raw test pixels to 112051, i.e. scaled means 0.3055865899 and 0.3039577908.
        let raw_sum = |s: &DigitSplit| s.pixels.iter().map(|&p| f64::from(p) * 16.0).sum::<f64>();
        assert_eq!(raw_sum(&d.train).round(), 449_667.0);
        assert_eq!(raw_sum(&d.test).round(), 112_051.0);
        let mean = raw_sum(&d.train) / 16.0 / d.train.pixels.len() as f64;
        assert!((mean - 0.305_586_589_9).abs() < 1e-9);
        // Train label counts per digit 0–9, from numpy.bincount(y_train).
        let mut counts = [0usize; 10];
        for &l in &d.train.labels {
            counts[usize::from(l)] += 1;
        }
        assert_eq!(counts, [151, 147, 141, 154, 151, 142, 137, 140, 135, 139]);
        // The first training image is a 6; its first row is 0 0 0 9 15 2 0 0.
        assert_eq!(d.train.labels[0], 6);
        let first_row: Vec<f32> = d.train_image(0)[..8].iter().map(|p| p * 16.0).collect();
        assert_eq!(first_row, [0.0, 0.0, 0.0, 9.0, 15.0, 2.0, 0.0, 0.0]);
        assert_eq!(d.test.labels[..5], [2, 8, 2, 6, 6]);
    }

    fn message(err: &InputError) -> String {
        err.to_string()
    }

    #[test]
    fn bad_magic_is_rejected() {
        let mut bytes = REAL.to_vec();
        bytes[..8].copy_from_slice(b"DIGITS02");
        let err = parse_digits(&bytes).unwrap_err();
        assert!(matches!(err, InputError::CorruptFile { .. }));
        assert!(message(&err).contains("DIGITS01"), "{err}");
    }

    #[test]
    fn truncated_files_are_rejected() {
        for len in [0, 7, HEADER_LEN - 1, HEADER_LEN, REAL.len() - 1] {
            let err = parse_digits(&REAL[..len]).unwrap_err();
            assert!(
                matches!(err, InputError::CorruptFile { .. }),
                "{len}: {err}"
            );
        }
        let err = parse_digits(&REAL[..REAL.len() - 1]).unwrap_err();
        assert!(message(&err).contains("needs exactly 116829"), "{err}");
        let mut longer = REAL.to_vec();
        longer.push(0);
        assert!(parse_digits(&longer).is_err());
    }

    #[test]
    fn absurd_header_counts_are_rejected() {
        let mut bytes = REAL.to_vec();
        bytes[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        bytes[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        bytes[20..24].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            parse_digits(&bytes),
            Err(InputError::CorruptFile { .. })
        ));
        let mut zero_width = REAL.to_vec();
        zero_width[16..20].copy_from_slice(&0u32.to_le_bytes());
        assert!(parse_digits(&zero_width).is_err());
    }

    #[test]
    fn pixel_above_16_is_rejected() {
        let mut bytes = REAL.to_vec();
        bytes[HEADER_LEN + 3] = 17;
        let err = parse_digits(&bytes).unwrap_err();
        assert!(
            matches!(err, InputError::OutOfRange { value, .. } if value == 17.0),
            "{err}"
        );
        assert!(message(&err).contains("0 to 16"), "{err}");

        // Also in the test split.
        let mut bytes = REAL.to_vec();
        let test_pixels_start = HEADER_LEN + 1437 * 65;
        bytes[test_pixels_start] = 17;
        assert!(matches!(
            parse_digits(&bytes),
            Err(InputError::OutOfRange { name, .. }) if name == "testX"
        ));
    }

    #[test]
    fn label_above_9_is_rejected() {
        let mut bytes = REAL.to_vec();
        bytes[HEADER_LEN + 1437 * 64] = 10;
        let err = parse_digits(&bytes).unwrap_err();
        assert!(
            matches!(err, InputError::OutOfRange { value, .. } if value == 10.0),
            "{err}"
        );
    }
}
