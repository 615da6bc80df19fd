//! Templates with `{name}` placeholders, filled from language-neutral parameters: [`fill`],
//! [`readable`] (how a number parameter is printed) and [`placeholders`] (the names a
//! template uses, for the catalogue's checks).

/// Fills `{key}` placeholders in `template` from `params`. A brace not followed by a known
/// key and `}` (such as the literal `{0, 1}` or `{ a: 2 }`) is kept as it is.
pub fn fill(template: &str, params: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let key = &after[..close];
            params
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A parameter as a reader should see it: a number whose plain decimal form is long (|x| ≥ 10²¹,
/// or a non-zero |x| < 10⁻⁶, which Rust prints with hundreds of digits) in JS's exponent style,
/// "1e+300", "-2.5e-7"; any other text (names, small integers, ordinary decimals) unchanged.
/// Every parameter passes through here, so the English and the translated messages, which fill
/// the same params, read the same.
pub fn readable(text: String) -> String {
    let plain = |t: &str| {
        let digits = t.strip_prefix('-').unwrap_or(t);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.matches('.').count() <= 1
    };
    match text.parse::<f64>() {
        Ok(x)
            if plain(&text)
                && x.is_finite()
                && (x.abs() >= 1e21 || (x != 0.0 && x.abs() < 1e-6)) =>
        {
            let e = format!("{x:e}"); // "1e300", "-2.5e-7": shortest round-trip mantissa
            match e.split_once('e') {
                Some((m, exp)) if !exp.starts_with('-') => format!("{m}e+{exp}"),
                _ => e,
            }
        }
        _ => text,
    }
}

/// The placeholder names in `template`: `{` + an identifier (a letter, then letters, digits
/// or `_`) + `}`, in order of appearance.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find('}') {
            let key = &rest[..close];
            let mut chars = key.chars();
            if chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                names.push(key);
            }
        }
    }
    names
}
