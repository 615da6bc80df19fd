// The β sweep's choices (4.3), shared by the sweep (beta-sweep.js), its widget and the link
// format (url-state.js), which must not load the sweep's code.

/** The β values of the sweep, in order (eight: why, in beta-sweep.js). */
export const BETAS = Object.freeze([0.1, 0.25, 0.5, 1, 2, 3, 4, 8]);
/** Epochs per model the widget's menu offers. */
export const EPOCH_CHOICES = Object.freeze([2, 5, 20, 50, 200]);
