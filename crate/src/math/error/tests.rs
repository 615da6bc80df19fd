use super::*;
use std::collections::HashSet;

/// `id` is lowercase ASCII letters and digits in words joined by single hyphens.
pub(crate) fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[test]
fn ids_are_unique_kebab_case() {
    let mut seen = HashSet::new();
    for code in Code::ALL {
        let id = code.id();
        assert!(seen.insert(id), "duplicate id {id}");
        assert!(is_kebab_case(id), "{id} is not kebab-case");
    }
    assert_eq!(Code::ALL.len(), seen.len());
}

#[test]
fn templates_have_well_formed_placeholders() {
    for code in Code::ALL {
        let t = code.template();
        // Every placeholder-looking brace is closed, and filling every placeholder leaves
        // only the literal braces (maths sets, example objects) that are not placeholders.
        let names = placeholders(t);
        let params: Vec<(&str, String)> = names.iter().map(|n| (*n, "X".into())).collect();
        let filled = fill(t, &params);
        assert!(placeholders(&filled).is_empty(), "{}: {filled}", code.id());
        assert_eq!(
            t.matches('{').count(),
            t.matches('}').count(),
            "{}: unbalanced braces",
            code.id()
        );
    }
}

#[test]
fn huge_and_tiny_numbers_read_in_exponent_form() {
    let r = |x: f64| readable(x.to_string());
    assert_eq!(r(1e300), "1e+300");
    assert_eq!(r(-1.5e300), "-1.5e+300");
    assert_eq!(r(1e21), "1e+21");
    assert_eq!(r(1e20), "100000000000000000000", "as JS prints it");
    assert_eq!(r(1e-300), "1e-300");
    assert_eq!(r(2.5e-7), "2.5e-7");
    assert_eq!(r(0.000001), "0.000001");
    for kept in [
        "0",
        "-0",
        "3",
        "0.1",
        "4294967296",
        "inf",
        "NaN",
        "p",
        "1e5",
        "-",
    ] {
        assert_eq!(readable(kept.into()), kept);
    }
    let e = InputError::NotFiniteNumber {
        name: "heads",
        index: None,
        value: 1e300,
    };
    assert_eq!(e.to_string(), "heads is 1e+300: it must be a finite number");
}

#[test]
fn fill_replaces_every_placeholder() {
    let m = fill(
        Code::NotFinite.template(),
        &[
            ("name", "p".into()),
            ("index", "1".into()),
            ("value", "NaN".into()),
        ],
    );
    assert_eq!(m, "p[1] is NaN: every probability must be a finite number");
    let m = fill(
        Code::BinaryObservation.template(),
        &[("name", "x".into()), ("value", "0.5".into())],
    );
    assert_eq!(
        m,
        "x is 0.5: it must be 0 or 1 (the logistic model observes a binary outcome)"
    );
    // A missing parameter stays visible rather than vanishing.
    assert_eq!(fill("{a} and {b}", &[("a", "1".into())]), "1 and {b}");
}

/// One error of every variant, and the message each printed before the codes existed.
#[test]
fn display_fills_the_code_template_with_the_params() {
    let cases = [
        (
            InputError::ProbabilityOutOfRange {
                name: "prob",
                value: 0.0,
                interval: "(0, 1]",
            },
            "prob is 0: it must be a probability in (0, 1] (an impossible event, p = 0, \
             would carry infinite information)",
        ),
        (
            InputError::ProbabilityOutOfRange {
                name: "theta",
                value: 2.0,
                interval: "[0, 1]",
            },
            "theta is 2: it must be a probability in [0, 1]",
        ),
        (
            InputError::NotFiniteNumber {
                name: "mu",
                index: Some(3),
                value: f64::INFINITY,
            },
            "mu[3] is inf: it must be a finite number",
        ),
        (
            InputError::IndexOutOfRange {
                name: "index",
                index: 2.0,
                len: 2,
            },
            "index is 2: it must be a whole number from 0 to 1",
        ),
        (
            InputError::OutOfRange {
                name: "lr",
                value: -1.0,
                rule: Code::LrPositive,
            },
            "lr is -1: it must lie in (0, ∞) (the learning rate is a positive step size)",
        ),
        (
            InputError::CorruptFile {
                name: "digits.bin",
                problem: Code::FileTooShort,
                details: vec![("len", "3".into()), ("header", "24".into())],
            },
            "digits.bin is not a valid data file: it has 3 bytes, fewer than the 24-byte \
             header. It may be damaged or cut short: regenerate it with the script named in \
             the README next to it",
        ),
    ];
    for (err, text) in cases {
        assert_eq!(err.to_string(), text);
    }
}

#[test]
fn every_variant_fills_all_its_placeholders() {
    let errors = one_of_each();
    let codes: HashSet<Code> = errors.iter().map(InputError::code).collect();
    assert!(codes.len() >= 16, "every variant and the split codes");
    for err in errors {
        let text = err.to_string();
        let template = err.code().template();
        assert!(placeholders(&text).is_empty(), "{text}");
        let keys: Vec<&str> = err.params().iter().map(|(k, _)| *k).collect();
        for name in placeholders(template) {
            assert!(keys.contains(&name), "{}: no {name}", err.code().id());
        }
    }
}

/// One error of every variant (and every code a variant can pick on its own), for tests here
/// and in `crate::wasm::error`.
pub(crate) fn one_of_each() -> Vec<InputError> {
    let file = |problem, details: &[(&'static str, &str)]| InputError::CorruptFile {
        name: "digits.bin",
        problem,
        details: details.iter().map(|&(k, v)| (k, v.to_string())).collect(),
    };
    let counts = [
        ("train", "2"),
        ("test", "1"),
        ("width", "8"),
        ("height", "8"),
    ];
    vec![
        InputError::Empty { name: "p" },
        InputError::NotFinite {
            name: "p",
            index: 0,
            value: f64::NAN,
        },
        InputError::Negative {
            name: "p",
            index: 0,
            value: -1.0,
        },
        InputError::NotNormalised {
            name: "p",
            sum: 2.0,
        },
        InputError::ProbabilityOutOfRange {
            name: "prob",
            value: 0.0,
            interval: "(0, 1]",
        },
        InputError::ProbabilityOutOfRange {
            name: "theta",
            value: 1.5,
            interval: "[0, 1]",
        },
        InputError::BadBase { value: 1.0 },
        InputError::IndexOutOfRange {
            name: "index",
            index: 4.0,
            len: 3,
        },
        InputError::TooMany {
            name: "p",
            len: 9,
            max: 5,
        },
        InputError::LengthMismatch {
            name_a: "p",
            len_a: 1,
            name_b: "q",
            len_b: 2,
        },
        InputError::NotFiniteNumber {
            name: "mu",
            index: Some(2),
            value: f64::INFINITY,
        },
        InputError::BadScale {
            name: "sigma",
            index: None,
            value: 0.0,
        },
        InputError::OutOfRange {
            name: "k",
            value: 0.0,
            rule: Code::ImportanceSamples,
        },
        InputError::BadInterval {
            lo: f64::NEG_INFINITY,
            hi: 1.0,
        },
        InputError::IntegrandNotFinite {
            x: 0.0,
            value: f64::NAN,
        },
        file(Code::FileTooShort, &[("len", "3"), ("header", "24")]),
        file(Code::FileBadMarker, &[("found", "\"DIGITS02\"")]),
        file(Code::FileBadSize, &[("width", "0"), ("height", "8")]),
        file(Code::FileTooLarge, &counts),
        file(
            Code::FileWrongLength,
            &[&[("len", "9")], &counts[..], &[("expected", "219")]].concat(),
        ),
        InputError::BadText {
            problem: Code::TextEmpty,
            details: vec![],
        },
        InputError::BadText {
            problem: Code::TextTooLong,
            details: vec![("len", "100001".into()), ("max", "100000".into())],
        },
    ]
}
