// The corrected statements of the chapter, pinned in both languages: each test names the
// sentence a lecturer's review found false or incomplete and checks that both string tables
// now say the right thing (the numbers themselves are pinned on the core, in
// crate/src/math/claims.rs). Run: node --test tests/text-claims.test.js
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import en from '../www/i18n/en.js';
import zh from '../www/i18n/zh.js';

/** Asserts `re[lang]` (or one regex for both) matches the string `key` of each table. */
function says(key, patterns) {
  for (const [lang, table] of Object.entries({ en, zh })) {
    const list = Array.isArray(patterns) ? patterns : patterns[lang];
    for (const re of list) assert.match(table[key], re, `${lang}['${key}'] should match ${re}`);
  }
}
const both = (...res) => res;

describe('part 1: entropy and codes', () => {
  it('entropy.body3: the share peaks at 1/e as a function, and ranks no outcomes (0.4, 0.3, 0.3)', () => {
    says('entropy.body3', both(/1\/e/, /0\.529/, /0\.521/, /p = \(0\.4, 0\.3, 0\.3\)/));
    assert.doesNotMatch(en['entropy.body3'], /largest not for the most probable/);
  });
  it('huffman: H ≤ L < H + 1 for symbol codes, H as the block limit, Kraft–McMillan', () => {
    says('huffman.body1', { en: [/H \\\\le L < H \+ 1|H \\le L < H \+ 1/, /i\.i\.d\./, /blocks/], zh: [/H \\le L < H \+ 1/, /独立同分布/, /分块/] });
    says('huffman.body3', { en: [/Kraft–McMillan inequality/, /\\sum_i 2\^\{-\\ell_i\} \\le 1/, /uniquely decodable/], zh: [/克拉夫特–麦克米伦不等式/, /\\sum_i 2\^\{-\\ell_i\} \\le 1/, /唯一可译码/] });
    assert.doesNotMatch(en['huffman.body1'], /smallest average number of bits per symbol with which a source can be encoded/);
  });
});

describe('part 2: divergences', () => {
  it('kl.gibbs: KL ≥ 0 proved by Jensen, over the outcomes with p_i > 0, zero only for q = p', () => {
    says('kl.gibbs', both(/p_i > 0/, /\\le \\log 1 = 0/, /\$q = p\$/, /3\.4/));
    says('kl.gibbs', { en: [/Jensen’s inequality/, /strictly concave/], zh: [/Jensen 不等式/, /严格凹/] });
  });
  it('kl.body1: H(p, q) is the cross-entropy, not Cover & Thomas’s joint entropy', () => {
    says('kl.body1', { en: [/joint entropy/], zh: [/联合熵/] });
  });
  it('2.2 uses one name, mass covering, and gives the synonyms', () => {
    for (const key of ['toc.fit', 'fit.title']) says(key, { en: [/Mass covering/], zh: [/质量覆盖/] });
    for (const table of [en, zh]) {
      for (const [k, v] of Object.entries(table)) assert.doesNotMatch(v, /[Mm]ode covering|mode-covering|模式覆盖/, k);
    }
    says('fit.body2', { en: [/mass-covering/, /zero-avoiding/, /inclusive/], zh: [/质量覆盖/, /避零/, /包含式/] });
    says('fit.body3', { en: [/mode-seeking/, /zero-forcing/, /exclusive/], zh: [/模式寻求/, /迫零/, /排他式/] });
  });
  it('fit.body3: one mode per optimum only when the modes are well separated; overlapping modes give one broad q', () => {
    says('fit.body3', { en: [/well separated/, /overlap/, /single broad/], zh: [/分得很开/, /重叠/, /宽 \$q\$/] });
  });
  it('fit.body1: differential entropy can be negative (σ < 0.242), where densities first appear', () => {
    says('fit.body1', { en: [/differential entropy/, /0\.242/, /negative/], zh: [/微分熵/, /0\.242/, /为负/] });
  });
});

describe('part 3: inference', () => {
  it('ch3.body1: the ELBO is defined where it is first used, and p(x | z) is the likelihood of z', () => {
    says('ch3.body1', both(/\\mathrm\{ELBO\}\(q\) = \\mathbb\{E\}_q\[\\log p\(x, z\) - \\log q\(z\)\]/, /\\log p\(x\) = \\mathrm\{ELBO\}\(q\) \+ \\mathrm\{KL\}/));
    says('ch3.body1', { en: [/likelihood of \$z\$, exactly as \$P\(x \\mid \\theta\)\$/], zh: [/\$z\$ 的似然，正如 3\.1 节中 \$P\(x \\mid \\theta\)\$/] });
  });
  it('ch3.notation: q(z) is q(z | x), natural logs and nats, distinct σ symbols', () => {
    says('ch3.notation', { en: [/q\(z \\\\mid x\)|q\(z \\mid x\)/, /natural logarithm/, /nats/, /\\sigma_\\phi/, /\\sigma\(\\cdot\)/, /\\sigma_k/], zh: [/q\(z \\mid x\)/, /自然对数/, /纳特/, /\\sigma_\\phi/, /\\sigma\(\\cdot\)/, /\\sigma_k/] });
  });
  it('ch3.body3: two modes only when x > σx²/2, at ±√(x − σx²/2); mode seeking only for separated modes', () => {
    says('ch3.body3', both(/x > \\sigma_x\^2 \/ 2/, /z = \\pm\\sqrt\{x - \\sigma_x\^2 \/ 2\}/, /2x\/\\sigma_x\^2 - 1/, /\\sigma_x = 2/, /x \\le 2/, /\$m = 0\$/));
    says('ch3.body3', { en: [/Well separated/, /Overlapping/, /straddles/, /tendency, not a law/], zh: [/分得很开/, /相互重叠/, /横跨/, /倾向/] });
    assert.doesNotMatch(en['ch3.body3'], /two modes when \$x > 0\$/);
  });
  it('the presets’ captions give the optima the core finds (m ≈ 1.51, s ≈ 0.17; m = 0, s ≈ 0.78)', () => {
    says('post.preset.separatedNote', both(/m ≈ 1\.51/, /s ≈ 0\.17/));
    says('post.preset.overlapNote', both(/m = 0/, /s ≈ 0\.78/));
  });
  it('3.4: Jensen with its conditions; the ELBO as E_q[log w] with log E_q[w] = log p(x); the IWAE bounds in expectation', () => {
    says('jensen.body1', { en: [/strictly concave/, /finite/, /if and only if \$w\$ is constant with probability 1/], zh: [/严格凹/, /均值有限/, /当且仅当 \$w\$ 以概率 1 为常数/] });
    says('jensen.body2', both(/\\mathbb\{E\}_q\[w\] = \\int q\(z\)/, /\\log p\(x\) = \\log \\mathbb\{E\}_q\[w\] \\ge \\mathbb\{E\}_q\[\\log w\]/));
    says('jensen.body2', { en: [/positive wherever \$p\(x, z\)\$ is/, /\$q\$-almost surely/, /posterior/], zh: [/为正之处也为正/, /几乎必然/, /后验/] });
    says('jensen.body3', both(/\\mathcal L_K \\le \\mathcal L_\{K\+1\}/, /2016/));
    says('jensen.body3', { en: [/weights are bounded/, /expectations/, /standard error/], zh: [/权重有界/, /期望/, /标准误差/] });
  });
  it('deriv.vae.1: the differential entropy of q can be negative', () => {
    says('deriv.vae.1', { en: [/can be negative/, /0\.242/], zh: [/可以为负/, /0\.242/] });
  });
});

describe('part 4: what the VAE’s numbers mean', () => {
  it('ch4.vaeBody1: pixels independent given z; dynamically binarised digits; BCE linear in its target', () => {
    says('ch4.vaeBody1', { en: [/independent \*\*given\*\* \$z\$/, /dynamically binarised/, /linear in its target/, /real log-probability/], zh: [/\*\*给定\*\* \$z\$ 时相互独立/, /动态二值化/, /线性/, /真正的对数概率/] });
  });
  it('ch4.vaeBody2: the terms’ signs, and the holes the average KL can leave (Hoffman & Johnson)', () => {
    says('ch4.vaeBody2', both(/I_q\(x; z\) \+ \\mathrm\{KL\}\(q_\\phi\(z\) \\,\\\|\\, p\(z\)\)/, /-\\mathbb\{E\}_q\[\\log p_\\theta\(x \\mid z\)\] \\ge 0/));
    says('ch4.vaeBody2', { en: [/holes/, /never positive/], zh: [/空洞/, /永远不为正/] });
  });
  it('ch4.vaeBody3: β = 1 is the ELBO; β < 1 is no bound; β > 1 is the β-VAE', () => {
    says('ch4.vaeBody3', { en: [/no longer a lower bound/, /β-VAE/, /looser bound/], zh: [/不再是/, /β-VAE/, /更松的下界/] });
  });
  it('ch4.vaeBody4: the gap’s two parts, and no "measured exactly"', () => {
    says('ch4.vaeBody4', { en: [/approximation gap/, /amortisation gap/, /Fit q to this image/, /Monte Carlo/], zh: [/近似间隙/, /摊销间隙/, /为这张图像拟合 q/, /蒙特卡罗/] });
    says('ch4.vaeBody4', both(/\\mathrm\{ELBO\}\(q_\\phi\) \\le \\mathrm\{ELBO\}\(q\^\*\) \\le \\log p_\\theta\(x\)/));
    for (const table of [en, zh]) assert.doesNotMatch(table['ch4.vaeBody4'], /measured exactly|完全相同地度量|度量方式与第 3 章完全相同/);
    assert.equal(en['vae.fitq'], 'Fit q to this image', 'the button the text names');
    assert.equal(zh['vae.fitq'], '为这张图像拟合 q');
  });
  it('ch4.vaeBody6: IWAE is defined, L₁ = ELBO, monotone in expectation, a single estimate is noisy', () => {
    says('ch4.vaeBody6', both(/\\mathcal L_K = \\mathbb\{E\}/, /\\mathcal L_1\$ /, /\\mathcal L_K \\le \\mathcal L_\{K\+1\} \\le \\log p_\\theta\(x\)/));
    says('ch4.vaeBody6', { en: [/noisy/, /lower bound on/], zh: [/噪声/, /下界/] });
  });
  it('readouts name their quantity and sign', () => {
    says('vae.rowRecon', both(/E_q\[log p\(x \| z\)\]/));
    says('vae.curve.recon', both(/−E_q\[log p\(x \| z\)\]/));
    says('vae.rowTrain', { en: [/Training objective/, /β·KL/, /\{beta\}/], zh: [/训练目标/, /β·KL/, /\{beta\}/] });
    says('vae.rowTrainElbo', both(/ELBO \(β = 1\)|ELBO（β = 1）/));
    says('vae.sumNote', both(/ELBO = E_q\[log p\(x \| z\)\] − KL = \{recon\} − \{kl\} = \{elbo\}/));
    says('vae.post.gapNd', { en: [/lower bound/], zh: [/下界/] });
    says('vae.post.logpxNd', both(/\{latent\}/));
    says('vae.post.logpx', { en: [/grid sum/], zh: [/网格求和/] });
  });
  it('vae.baseBody: the baselines are compared at equal code size', () => {
    says('vae.baseBody', both(/\{k\}/));
    says('vae.base.pca', both(/\{k\}/));
    assert.doesNotMatch(en['vae.baseBody'], /2-number code/);
  });
});

describe('the whole text', () => {
  it('calls the page’s parts "parts", not chapters', () => {
    for (const [k, v] of Object.entries(en)) assert.doesNotMatch(v, /chapter [1-9]/i, `en['${k}']`);
    for (const [k, v] of Object.entries(zh)) assert.doesNotMatch(v, /第 ?[1-9] ?章/, `zh['${k}']`);
  });
  it('the README no longer says part 4 is not built', () => {
    assert.doesNotMatch(readFileSync(new URL('../README.md', import.meta.url), 'utf8'), /not built yet/);
  });
});

describe('part 4: posterior collapse', () => {
  // The numbers are pinned on two-epoch runs of the presets in crate/src/math/networks/train.rs
  // (the_collapse_preset_… and the_free_bits_preset_…).
  it('the presets\' sentences state the run they were checked on: 2 epochs, β = 4, 0.1 nats, 0.1–0.3 with λ = 0.25', () => {
    says('vae.preset.collapseNote', { en: [/β = 4/, /seed 1/, /3e−3/, /after 2 epochs no dimension is active/, /below 0\.1 nats/], zh: [/β = 4/, /种子 1/, /3e−3/, /2 轮之后没有一个维度是活跃的/, /低于 0\.1 奈特/] });
    says('vae.preset.preventNote', { en: [/λ = 0\.25/, /after 2 epochs all 16 dimensions are active/, /between 0\.1 and 0\.3 nats/], zh: [/λ = 0\.25/, /2 轮之后 16 个维度全部活跃/, /0\.1 与 0\.3 奈特之间/] });
    says('ch4.vaeBody7', both(/0\.01/, /\\max\(\\lambda/, /\\beta e \/ N/));
  });
});
