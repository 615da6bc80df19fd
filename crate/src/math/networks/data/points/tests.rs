use super::*;

fn code(text: &str) -> (Code, Vec<(&'static str, String)>) {
    let e = parse_points(text).unwrap_err();
    (e.code(), e.params())
}

fn line(params: &[(&'static str, String)]) -> String {
    params.iter().find(|(k, _)| *k == "line").unwrap().1.clone()
}

/// n points on a line x = i, y = 2i, with labels a/b alternating.
fn csv(n: usize, header: bool) -> String {
    let mut s = if header {
        "x,y,label\n".to_string()
    } else {
        String::new()
    };
    for i in 0..n {
        s += &format!("{i},{},{}\n", 2 * i, if i % 2 == 0 { "a" } else { "b" });
    }
    s
}

#[test]
fn a_good_file_is_centred_and_scaled_to_unit_spread() {
    let p = parse_points(&csv(10, true)).unwrap();
    assert!(p.header);
    assert_eq!(p.label_names, ["a", "b"]);
    assert_eq!(p.labels[..4], [0, 1, 0, 1]);
    assert_eq!(p.mean, [4.5, 9.0]);
    // Σ over both coordinates of the squared standardised values is 2n: unit spread.
    let n = p.points.len() / 2;
    let mean: f64 = p.points.iter().map(|&v| f64::from(v)).sum::<f64>() / n as f64;
    let sq: f64 = p.points.iter().map(|&v| f64::from(v).powi(2)).sum();
    assert!(mean.abs() < 1e-6);
    assert!((sq / (2.0 * n as f64) - 1.0).abs() < 1e-6);
    // Row i is (i − 4.5, 2i − 9)/scale: the shape is kept (one factor for both axes).
    let s = p.scale as f32;
    assert!((p.points[0] - (-4.5 / s)).abs() < 1e-6 && (p.points[1] - (-9.0 / s)).abs() < 1e-6);
    let split = p.split(7);
    assert_eq!((split.train_x.nrows(), split.test_x.nrows()), (8, 2));
}

#[test]
fn no_header_no_labels_semicolons_and_blank_lines() {
    let text = "\n1;2\n\n3;4\n5;6\n7;8\n9;10\n11;12\n13;14\n15;16\n17;18\n19;21\n";
    let p = parse_points(text).unwrap();
    assert!(!p.header);
    assert!(p.label_names.is_empty());
    assert_eq!(p.labels, vec![0; 10]);
}

#[test]
fn bad_files_name_the_line() {
    let good = csv(12, true); // line 1 header, points on lines 2–13
    let mut lines: Vec<&str> = good.lines().collect();
    lines[4] = "3,abc,a";
    let (c, p) = code(&lines.join("\n"));
    assert_eq!((c, line(&p).as_str()), (Code::CsvNumber, "5"));
    assert!(p.contains(&("value", "abc".to_string())));
    lines[4] = "3,4";
    let (c, p) = code(&lines.join("\n"));
    assert_eq!((c, line(&p).as_str()), (Code::CsvFields, "5"));
    lines[4] = "3,1e9,a";
    let (c, p) = code(&lines.join("\n"));
    assert_eq!((c, line(&p).as_str()), (Code::CsvRange, "5"));
    lines[4] = "3,inf,a";
    assert_eq!(
        code(&lines.join("\n")).0,
        Code::CsvNumber,
        "inf is not a plain number"
    );
    assert_eq!(code("1,2,3,4\n").0, Code::CsvFields);
    assert_eq!(code("").0, Code::CsvEmpty);
    assert_eq!(code("x,y\n").0, Code::CsvEmpty);
    assert_eq!(code(&csv(9, false)).0, Code::CsvTooFew);
    assert_eq!(code(&"1,1\n".repeat(20)).0, Code::CsvNoSpread);
    let many: String = (0..=MAX_POINTS).map(|i| format!("{i},{i}\n")).collect();
    assert_eq!(code(&many).0, Code::CsvTooMany);
    let labels: String = (0..20).map(|i| format!("{i},{},L{i}\n", i * i)).collect();
    let (c, p) = code(&labels);
    assert_eq!((c, line(&p).as_str()), (Code::CsvLabels, "11"));
    assert_eq!(code(&" ".repeat(MAX_BYTES + 1)).0, Code::CsvTooLarge);
}

#[test]
fn every_error_message_is_filled() {
    for text in ["", "a,b\n1,x\n", "1,2,3,4", "1,1\n1,1"] {
        let e = parse_points(text).unwrap_err();
        assert!(!e.to_string().contains('{'), "{e}");
    }
}
