//! Bad input gets coded errors.

use super::*;

#[test]
fn bad_input_gets_coded_errors() {
    assert_eq!(
        rule(Target::gaussian([0.0, 0.0], [1.0, 1.0], 1.0).unwrap_err()),
        Code::Vi2dRho
    );
    assert_eq!(
        rule(Target::gaussian([9.0, 0.0], [1.0, 1.0], 0.0).unwrap_err()),
        Code::Vi2dMean
    );
    assert_eq!(
        rule(Target::gaussian([0.0, 0.0], [0.0, 1.0], 0.0).unwrap_err()),
        Code::Vi2dSd
    );
    assert_eq!(
        rule(Target::banana(1.0, 2.0).unwrap_err()),
        Code::Vi2dBananaB
    );
    assert_eq!(rule(Target::donut(0.1, 1.0).unwrap_err()), Code::Vi2dDonutR);
    assert_eq!(
        rule(Target::mixture(1.0, 0.0).unwrap_err()),
        Code::Vi2dMixtureS
    );
    assert_eq!(
        rule(Target::logistic(&[0.0, 6.0], &[1.0]).unwrap_err()),
        Code::Vi2dPoint
    );
    assert_eq!(
        rule(Target::logistic(&[0.0, 1.0], &[2.0]).unwrap_err()),
        Code::BinaryObservation
    );
    let many = vec![0.5; 2 * (MAX_POINTS + 1)];
    assert_eq!(
        rule(Target::logistic(&many, &vec![1.0; MAX_POINTS + 1]).unwrap_err()),
        Code::Vi2dPointCount
    );
    assert!(matches!(
        Target::logistic(&[0.0, 1.0, 2.0], &[1.0]),
        Err(InputError::LengthMismatch { .. })
    ));
    assert!(matches!(
        Target::gaussian([f64::NAN, 0.0], [1.0, 1.0], 0.0),
        Err(InputError::NotFiniteNumber { .. })
    ));
    assert_eq!(
        rule(Grid::new(&gaussian(0.0), 8).unwrap_err()),
        Code::Vi2dGridSide
    );
    assert_eq!(
        rule(Gauss2::new([0.0, 0.0], [0.0, 0.0, 1.0]).unwrap_err()),
        Code::QScaleRange
    );
}
