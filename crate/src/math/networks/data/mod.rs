//! The data sets of part 4: the handwritten digits, the 2-D toy sets and binarisation (rows
//! are shuffled by [`Random::shuffle`](crate::math::random::Random::shuffle)).

pub mod binarise;
pub mod digits;
pub mod points;
pub mod toy;
