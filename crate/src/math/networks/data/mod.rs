//! The data sets of part 4: the handwritten digits, the 2-D toy sets, and binarisation.

pub mod binarise;
pub mod digits;
pub mod toy;
