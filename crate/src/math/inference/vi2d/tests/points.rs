//! Points added to and removed from the logistic target: the grid updated in place equals a
//! grid built afresh for the same data.

use super::*;

/// The grid updated in place against one built afresh: log Z, mean and covariance to `tol`
/// (the two may sit on different boxes, so they agree to the quadrature's accuracy), and the
/// stored log p̃ and density against the target at the updated grid's own nodes (rounding only).
fn assert_matches_fresh(grid: &Grid, target: &Target, tol: f64) {
    let fresh = Grid::new(target, grid.n).unwrap();
    close(grid.log_z, fresh.log_z, tol, "log Z");
    for k in 0..2 {
        close(grid.mean[k], fresh.mean[k], tol, "mean");
    }
    for k in 0..3 {
        close(grid.cov[k], fresh.cov[k], tol, "cov");
    }
    let n = grid.n;
    for j in (0..n).step_by(7) {
        for i in (0..n).step_by(5) {
            let exact = target.log_density(grid.z(i, j));
            let stored = grid.log_p[j * n + i];
            close(
                stored,
                exact,
                1e-11 * (1.0 + exact.abs()),
                "log p̃ at a node",
            );
            let d = (exact - grid.log_z).exp();
            close(
                grid.density[j * n + i],
                d,
                1e-12 * (1.0 + d),
                "density at a node",
            );
        }
    }
}

#[test]
fn adding_and_removing_points_matches_a_fresh_grid() {
    let (points, labels) = some_points();
    let mut target = Target::logistic(&[], &[]).unwrap();
    let mut grid = Grid::new(&target, 128).unwrap();
    let mut rebuilt = 0;
    for (x, &y) in points.chunks_exact(2).zip(&labels) {
        let term = target.add_point([x[0], x[1]], y == 1.0).unwrap();
        rebuilt += usize::from(grid.add_term(&target, term));
        assert_matches_fresh(&grid, &target, 1e-9);
    }
    // 30 points narrow the prior's N(0, I) several times over: the box had to move or shrink.
    assert!(rebuilt >= 1, "the grid was never rebuilt");
    assert!(
        rebuilt < 15,
        "the grid was rebuilt {rebuilt} times in 30 points"
    );
    // Removing points, from the middle and the ends, widens it again.
    for index in [12, 0, 27, 5, 5, 20, 0] {
        let term = target.remove_point(index).unwrap();
        grid.add_term(&target, |w| -term(w));
        assert_matches_fresh(&grid, &target, 1e-9);
    }
    assert_eq!(target.point_count(), 23);
}

#[test]
fn toggling_one_point_keeps_the_box() {
    // The widget's common edit: a click adds a point near the data, a second click removes it.
    let (points, labels) = some_points();
    let mut target = Target::logistic(&points[..20], &labels[..10]).unwrap();
    let mut grid = Grid::new(&target, 128).unwrap();
    let bounds = grid.bounds;
    for k in 0..20 {
        let x = [(k % 7) as f64 / 2.0 - 1.5, (k % 5) as f64 / 2.0 - 1.0];
        let term = target.add_point(x, k % 4 < 2).unwrap();
        assert!(
            !grid.add_term(&target, term),
            "point {k}: rebuilt on adding"
        );
        assert_matches_fresh(&grid, &target, 1e-9);
        let term = target.remove_point(10).unwrap();
        assert!(
            !grid.add_term(&target, |w| -term(w)),
            "point {k}: rebuilt on removing"
        );
    }
    assert_eq!(grid.bounds, bounds);
    assert_matches_fresh(&grid, &target, 1e-9);
}

#[test]
fn separable_data_move_the_box_and_stay_accurate() {
    // Every point on its side of x₂ = 1.5 x₁: the likelihood alone has no maximum and the
    // posterior stretches along w ∝ (1.5, −1), far from the prior's box.
    let mut target = Target::logistic(&[], &[]).unwrap();
    let mut grid = Grid::new(&target, 128).unwrap();
    for k in 0..40 {
        let x = [
            ((k * 37) % 90) as f64 / 10.0 - 4.5,
            ((k * 53) % 90) as f64 / 10.0 - 4.5,
        ];
        let term = target.add_point(x, 1.5 * x[0] - x[1] > 0.0).unwrap();
        grid.add_term(&target, term);
    }
    assert_matches_fresh(&grid, &target, 1e-9);
}

#[test]
fn bad_point_edits_get_coded_errors_and_change_nothing() {
    let mut gaussian = gaussian(0.5);
    assert_eq!(
        rule(gaussian.add_point([0.0, 0.0], true).err().unwrap()),
        Code::Vi2dNotLogistic
    );
    assert_eq!(
        rule(gaussian.remove_point(0).err().unwrap()),
        Code::Vi2dNotLogistic
    );
    let mut target = Target::logistic(&[1.0, 1.0], &[1.0]).unwrap();
    let before = target.clone();
    assert_eq!(
        rule(target.add_point([0.0, 5.5], true).err().unwrap()),
        Code::Vi2dPoint
    );
    assert!(matches!(
        target.add_point([f64::NAN, 0.0], true).err().unwrap(),
        InputError::NotFiniteNumber { .. }
    ));
    assert!(matches!(
        target.remove_point(1).err().unwrap(),
        InputError::IndexOutOfRange { len: 1, .. }
    ));
    assert_eq!(target, before);
    let mut full = Target::logistic(&vec![0.5; 2 * MAX_POINTS], &vec![1.0; MAX_POINTS]).unwrap();
    assert_eq!(
        rule(full.add_point([0.0, 0.0], true).err().unwrap()),
        Code::Vi2dPointCount
    );
    assert_eq!(full.point_count(), MAX_POINTS);
}
