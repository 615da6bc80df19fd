// The chapter's exercises, as data. Each entry:
//   id       stable kebab-case id (progress, `?ex=<id>` links, data-exercise="<id>")
//   section  the chapter's <section id> it sits in; widget: the widget it uses
//   kind     'predict' (commit to a choice, then see the answer), 'numeric' (a number, checked with
//            tolerance `tol` in `unit`), 'target' (a state of the live widget, checked by `check`)
//   start    the widget's starting state in the link format of www/lib/url-state.js (set up by
//            "Set up the widget" and by an ex= link); solution (target tasks): a state that solves it
//   question, hint, explain: texts { en, zh } ($…$ is TeX, **…** bold; see lib/i18n.js rich())
//   predict: choices [{ text, why (feedback naming the misconception when it is chosen wrongly) }],
//            answer(lab) → the correct choice's index, computed by the wasm core
//   numeric: answer(lab) → the number, computed by the core; wrong: [{ value(lab), why }] common
//            mistakes recognised (within tol) and named
//   target:  check(lab, state) → { ok, values: [[name, value, unit]] } on the widget's state()
// Every answer comes from the core and the exercise's data; tests/exercises.test.js solves each one.

const T = (en, zh) => ({ en, zh });
/** The choice for the sign of `d`: `choices` = [if d > 0, if d < 0, if |d| ≤ eps]. */
const bySign = (d, [pos, neg, zero], eps = 1e-12) => (Math.abs(d) <= eps ? zero : d > 0 ? pos : neg);
/** log E[w] − E[log w] (nats) for w = w1 with probability lam, else w2. */
const jensenGap = (w1, w2, lam) => Math.log(lam * w1 + (1 - lam) * w2) - (lam * Math.log(w1) + (1 - lam) * Math.log(w2));
/** `fn(post)` on a PosteriorLab for the model, freed afterwards. */
function withPosterior(lab, model, x, params, fn) {
  const post = new lab.PosteriorLab(model, x, params);
  try { return fn(post); } finally { post.free(); }
}
/** 3.5's correlated Gaussian target, as link keys and as Posterior2d's arguments. */
const CORRELATED = 'target:gaussian;mean1:0;mean2:0;sd1:1.5;sd2:0.8;rho:0.8';
const CORRELATED_TARGET = { target: 'gaussian', params: { mean1: 0, mean2: 0, sd1: 1.5, sd2: 0.8, rho: 0.8 } };
/** `fn(p2)` on a Posterior2d for vi-2d's state `v` ({ target, params, points, labels }), freed afterwards. */
function withTarget(lab, v, fn) {
  const p2 = new lab.Posterior2d(v.target, v.target === 'logistic' ? { points: v.points ?? [], labels: v.labels ?? [] } : v.params);
  try { return fn(p2); } finally { p2.free(); }
}
let toy = null;
/** A small 2-D toy data set (the moons, 200 points, seed 7), made once. */
const toyData = (lab) => (toy ??= lab.Trainer.loadToy('moons', 200, 7));
/** `fn(tr)` on a small Trainer (2-D toy data, 16 hidden units, seed 1) trained 3 epochs, freed afterwards. */
function withToyTrainer(lab, mode, fn) {
  const { trainX, pixels } = toyData(lab);
  const tr = new lab.Trainer(trainX, pixels, { mode, latent: 2, hidden: 16, likelihood: 'gaussian', lr: 3e-3 }, 1);
  try {
    if (mode === 'vae') for (let i = 0; i < 3; i += 1) tr.trainEpoch();
    return fn(tr);
  } finally {
    tr.free();
  }
}
/** How far the Huffman code of `p` is above the entropy: L − H, in bits per symbol. */
/** ae-bce's reconstruction errors of the binary image x = (1, 0, 1, 1) decoded as x̂ = (0.9, 0.2, 0.7, 0.6). */
const aeBceErrors = (lab) => lab.reconstructionErrors(Float32Array.from([1, 0, 1, 1]), Float32Array.from([0.9, 0.2, 0.7, 0.6]), 4);

const huffmanGap = (lab, p) => { const c = lab.huffmanCode(p); return c.averageLength - c.entropy; };

export const EXERCISES = [
  // 1.1 Information
  {
    id: 'info-eighth', section: 'information', widget: 'information', kind: 'numeric', unit: 'bits', tol: 0.01,
    start: 'p1:0.25;p2:0.5;unit:bits',
    answer: (lab) => lab.information(0.125, 2),
    wrong: [{ value: (lab) => lab.information(0.125), why: T('That is the information in nats (natural logarithm). Bits use log base 2: −log₂ p.', '这是以奈特（自然对数）为单位的信息量。比特用以 2 为底的对数：−log₂ p。') }],
    question: T('An event has probability p = 1/8. How much information (surprisal) I(p) = −log p does observing it carry, in bits?',
      '某事件的概率为 p = 1/8。观察到它所带来的信息量（惊奇度）I(p) = −log p 是多少比特？'),
    hint: T('1/8 = 2⁻³. In bits, I(p) = −log₂ p.', '1/8 = 2⁻³。以比特计，I(p) = −log₂ p。'),
    explain: T('I(1/8) = −log₂(2⁻³) = 3 bits: as much as three fair coin flips, each carrying 1 bit. In nats it would be ln 8 ≈ 2.079. The widget shows it as the joint event of p₁ = 1/4 and p₂ = 1/2, whose probability is 1/8.',
      'I(1/8) = −log₂(2⁻³) = 3 比特：相当于抛三次均匀硬币，每次 1 比特。以奈特计则为 ln 8 ≈ 2.079。小部件把它显示为 p₁ = 1/4 与 p₂ = 1/2 的联合事件，其概率为 1/8。'),
  },
  {
    id: 'info-add', section: 'information', widget: 'information', kind: 'predict',
    start: 'p1:0.5;p2:0.25;unit:bits',
    choices: [
      { text: T('3 bits', '3 比特') },
      { text: T('2 bits', '2 比特'), why: T('2 = 1 × 2 multiplies the two informations. For independent events the probabilities multiply, so the informations add: I(p₁p₂) = I(p₁) + I(p₂).', '2 = 1 × 2 是把两个信息量相乘。独立事件的概率相乘，所以信息量相加：I(p₁p₂) = I(p₁) + I(p₂)。') },
      { text: T('about 0.415 bits', '约 0.415 比特'), why: T('0.415 = −log₂(1/2 + 1/4) adds the probabilities: that is the probability that at least one of two mutually exclusive events happens, not that both independent ones do.', '0.415 = −log₂(1/2 + 1/4) 是把概率相加：那是两个互斥事件至少发生一个的概率，而不是两个独立事件同时发生的概率。') },
    ],
    answer: (lab) => [3, 2, 0.415].findIndex((v) => Math.abs(v - lab.information(0.5 * 0.25, 2)) < 1e-3),
    question: T('Two independent events have probabilities 1/2 and 1/4. Predict before you look at the widget: how much information does observing both carry?',
      '两个独立事件的概率分别为 1/2 和 1/4。先预测再看小部件：同时观察到两者带来多少信息？'),
    hint: T('Both happen with probability 1/2 · 1/4 = 1/8.', '两者同时发生的概率为 1/2 · 1/4 = 1/8。'),
    explain: T('P(both) = 1/8, so I = −log₂(1/8) = 3 bits = I(1/2) + I(1/4) = 1 + 2 bits. Additivity over independent events is why information is a logarithm of probability.',
      'P(两者) = 1/8，所以 I = −log₂(1/8) = 3 比特 = I(1/2) + I(1/4) = 1 + 2 比特。独立事件的信息量可加，这正是信息量取概率对数的原因。'),
  },
  {
    id: 'info-target', section: 'information', widget: 'information', kind: 'target',
    start: 'p1:0.25;p2:0.5;unit:bits', solution: 'p1:0.05;p2:0.05;unit:bits',
    check: (lab, s) => {
      const [i1, i2, both] = [s.p1, s.p2, s.p1 * s.p2].map((p) => lab.information(p, 2));
      return { ok: i1 < 5 && i2 < 5 && both > 8, values: [['I(p₁)', i1, 'bits'], ['I(p₂)', i2, 'bits'], ['I(p₁p₂)', both, 'bits']] };
    },
    question: T('Move p₁ and p₂ so that observing both events carries more than 8 bits while each event alone carries less than 5 bits.',
      '移动 p₁ 和 p₂，使同时观察到两个事件的信息量超过 8 比特，而每个事件单独的信息量都少于 5 比特。'),
    hint: T('I(p₁p₂) = I(p₁) + I(p₂): two informations of a little over 4 bits each will do. 2⁻⁴ = 0.0625.',
      'I(p₁p₂) = I(p₁) + I(p₂)：两个各略高于 4 比特的信息量即可。2⁻⁴ = 0.0625。'),
    explain: T('Any p₁, p₂ with −log₂ pᵢ < 5 (pᵢ > 1/32 ≈ 0.031) and p₁p₂ < 2⁻⁸ ≈ 0.0039 works, e.g. p₁ = p₂ = 0.05: 4.32 bits each, 8.64 bits together.',
      '任何满足 −log₂ pᵢ < 5（pᵢ > 1/32 ≈ 0.031）且 p₁p₂ < 2⁻⁸ ≈ 0.0039 的 p₁、p₂ 都可以，例如 p₁ = p₂ = 0.05：各 4.32 比特，合计 8.64 比特。'),
  },

  // 1.2 Entropy
  {
    id: 'entropy-dyadic', section: 'entropy', widget: 'entropy', kind: 'numeric', unit: 'bits', tol: 0.005,
    start: 'p:0.5~0.25~0.125~0.125',
    answer: (lab) => lab.entropy([0.5, 0.25, 0.125, 0.125], 2),
    wrong: [
      { value: (lab) => lab.entropy([0.5, 0.25, 0.125, 0.125]), why: T('That is H in nats. In bits use log₂.', '这是以奈特为单位的 H。以比特计请用 log₂。') },
      { value: () => 2, why: T('2 bits = log₂ 4 is the largest entropy of 4 outcomes, reached only by the uniform distribution.', '2 比特 = log₂ 4 是 4 个结果的最大熵，只有均匀分布才能达到。') },
    ],
    question: T('What is the entropy H(p) of p = (1/2, 1/4, 1/8, 1/8), in bits?', '分布 p = (1/2, 1/4, 1/8, 1/8) 的熵 H(p) 是多少比特？'),
    hint: T('H(p) = Σ pᵢ · I(pᵢ), and I(1/2) = 1, I(1/4) = 2, I(1/8) = 3 bits.', 'H(p) = Σ pᵢ · I(pᵢ)，且 I(1/2) = 1、I(1/4) = 2、I(1/8) = 3 比特。'),
    explain: T('H = ½·1 + ¼·2 + ⅛·3 + ⅛·3 = 0.5 + 0.5 + 0.375 + 0.375 = 1.75 bits: the average surprisal.',
      'H = ½·1 + ¼·2 + ⅛·3 + ⅛·3 = 0.5 + 0.5 + 0.375 + 0.375 = 1.75 比特：平均惊奇度。'),
  },
  {
    id: 'entropy-outcomes', section: 'entropy', widget: 'entropy', kind: 'predict',
    start: 'p:0.9~0.05~0.05',
    choices: [
      { text: T('the fair coin (1/2, 1/2)', '均匀硬币 (1/2, 1/2)') },
      { text: T('the three outcomes (0.9, 0.05, 0.05)', '三个结果的 (0.9, 0.05, 0.05)'), why: T('More outcomes do not by themselves mean more entropy: log₂ n is only the largest possible value, reached by the uniform distribution. A very likely outcome makes the average surprisal small.', '结果更多并不意味着熵更大：log₂ n 只是可能的最大值，只有均匀分布才能达到。一个极可能的结果会使平均惊奇度变小。') },
      { text: T('they are equal', '两者相等'), why: T('Equal entropies would need the same average surprisal. Here one outcome has probability 0.9, so most draws carry little information (0.152 bits each).', '熵相等需要平均惊奇度相同。这里一个结果的概率为 0.9，所以大多数抽样只携带很少的信息（每次 0.152 比特）。') },
    ],
    answer: (lab) => {
      return bySign(lab.entropy([0.5, 0.5], 2) - lab.entropy([0.9, 0.05, 0.05], 2), [0, 1, 2]);
    },
    question: T('Which has the larger entropy: a fair coin, or the three-outcome distribution (0.9, 0.05, 0.05)? Commit before you check in the widget.',
      '哪个的熵更大：均匀硬币，还是三个结果的分布 (0.9, 0.05, 0.05)？先作答，再到小部件中验证。'),
    hint: T('Most of the time the three-outcome source gives the same, unsurprising outcome.', '三个结果的信源绝大多数时候给出同一个不令人惊奇的结果。'),
    explain: T('H(coin) = 1 bit; H(0.9, 0.05, 0.05) = 0.9·0.152 + 2·0.05·4.32 ≈ 0.569 bits. Entropy measures average surprisal, not the number of outcomes; 0 ≤ H ≤ log₂ n with equality on the right only for the uniform distribution.',
      'H(硬币) = 1 比特；H(0.9, 0.05, 0.05) = 0.9·0.152 + 2·0.05·4.32 ≈ 0.569 比特。熵衡量的是平均惊奇度，而不是结果的个数；0 ≤ H ≤ log₂ n，右边的等号只在均匀分布时成立。'),
  },
  {
    id: 'entropy-target', section: 'entropy', widget: 'entropy', kind: 'target',
    start: 'p:0.5~0.25~0.125~0.125', solution: 'p:0.4~0.2~0.2~0.2',
    check: (lab, s) => {
      const H = lab.entropy(s.p, 2);
      return { ok: s.p.length === 4 && s.p[0] >= 0.4 && H >= 1.9, values: [['n', s.p.length, ''], ['p₁', s.p[0], ''], ['H(p)', H, 'bits']] };
    },
    question: T('With exactly 4 outcomes, make H(p) at least 1.9 bits while keeping p₁ ≥ 0.4.', '在恰好 4 个结果的情况下，使 H(p) 至少为 1.9 比特，同时保持 p₁ ≥ 0.4。'),
    hint: T('With p₁ fixed, spread the rest as evenly as you can.', '固定 p₁ 后，把其余概率尽量平均地分配。'),
    explain: T('For a fixed p₁ the entropy is largest when the other three share 1 − p₁ equally. With p₁ = 0.4: H = 0.4·log₂(1/0.4) + 0.6·log₂(1/0.2) ≈ 0.529 + 1.393 = 1.922 bits, just above 1.9; with p₁ above about 0.42 not even the best spread reaches 1.9.',
      '固定 p₁ 时，其余三个结果平分 1 − p₁ 时熵最大。p₁ = 0.4 时：H = 0.4·log₂(1/0.4) + 0.6·log₂(1/0.2) ≈ 0.529 + 1.393 = 1.922 比特，略高于 1.9；p₁ 超过约 0.42 时，即使最佳分配也达不到 1.9。'),
  },

  // 1.3 Huffman
  {
    id: 'huffman-length', section: 'huffman', widget: 'huffman', kind: 'numeric', unit: 'bits', tol: 0.005,
    start: 'p:0.4~0.3~0.2~0.1',
    answer: (lab) => lab.huffmanCode([0.4, 0.3, 0.2, 0.1]).averageLength,
    wrong: [
      { value: (lab) => lab.entropy([0.4, 0.3, 0.2, 0.1], 2), why: T('That is the entropy H(p), the lower bound. A Huffman code has whole-number codeword lengths, so here L > H.', '这是熵 H(p)，即下界。霍夫曼码的码字长度是整数，所以这里 L > H。') },
      { value: () => 2, why: T('2 bits per symbol is the fixed-length code for 4 symbols; Huffman gives the likely symbols shorter codewords.', '每符号 2 比特是 4 个符号的定长码；霍夫曼码给高概率符号更短的码字。') },
    ],
    question: T('What is the expected codeword length L of a Huffman code for p = (0.4, 0.3, 0.2, 0.1), in bits per symbol?',
      '为 p = (0.4, 0.3, 0.2, 0.1) 构造的霍夫曼码，其期望码长 L 是每符号多少比特？'),
    hint: T('Merge the two least likely symbols repeatedly: 0.1 + 0.2, then 0.3 + 0.3, then 0.4 + 0.6. Count how often each symbol is merged.', '反复合并两个概率最小的符号：0.1 + 0.2，然后 0.3 + 0.3，然后 0.4 + 0.6。数一数每个符号被合并了几次。'),
    explain: T('The lengths are 1, 2, 3, 3 bits, so L = 0.4·1 + 0.3·2 + 0.2·3 + 0.1·3 = 1.9 bits, between H ≈ 1.846 and H + 1.',
      '码长为 1、2、3、3 比特，所以 L = 0.4·1 + 0.3·2 + 0.2·3 + 0.1·3 = 1.9 比特，介于 H ≈ 1.846 与 H + 1 之间。'),
  },
  {
    id: 'huffman-dyadic', section: 'huffman', widget: 'huffman', kind: 'predict',
    start: 'p:0.5~0.25~0.125~0.125',
    choices: [
      { text: T('L = H', 'L = H') },
      { text: T('L > H', 'L > H'), why: T('A Huffman code can meet the entropy exactly: when every pᵢ is a power of 1/2, the ideal lengths −log₂ pᵢ are whole numbers and Huffman finds them.', '霍夫曼码可以恰好达到熵：当每个 pᵢ 都是 1/2 的幂时，理想码长 −log₂ pᵢ 都是整数，霍夫曼算法正好找到它们。') },
      { text: T('L < H', 'L < H'), why: T('No uniquely decodable code has L < H (the Kraft–McMillan inequality with Gibbs\' inequality): the entropy is a floor.', '任何唯一可译码都不可能有 L < H（Kraft–McMillan 不等式加 Gibbs 不等式）：熵是下限。') },
    ],
    answer: (lab) => bySign(huffmanGap(lab, [0.5, 0.25, 0.125, 0.125]), [1, 2, 0]),
    question: T('For p = (1/2, 1/4, 1/8, 1/8), how does the Huffman code\'s expected length L compare with the entropy H?',
      '对 p = (1/2, 1/4, 1/8, 1/8)，霍夫曼码的期望码长 L 与熵 H 相比如何？'),
    hint: T('Compute −log₂ pᵢ for each outcome. Are they whole numbers?', '计算每个结果的 −log₂ pᵢ。它们是整数吗？'),
    explain: T('The lengths 1, 2, 3, 3 equal −log₂ pᵢ exactly, so L = H = 1.75 bits. In general H ≤ L < H + 1, with L = H only when every pᵢ is a power of 1/2.',
      '码长 1、2、3、3 恰好等于 −log₂ pᵢ，所以 L = H = 1.75 比特。一般地 H ≤ L < H + 1，只有每个 pᵢ 都是 1/2 的幂时 L = H。'),
  },
  {
    id: 'huffman-gap', section: 'huffman', widget: 'huffman', kind: 'target',
    start: 'p:0.5~0.25~0.125~0.125', solution: 'p:0.95~0.05',
    check: (lab, s) => {
      const gap = huffmanGap(lab, s.p);
      return { ok: gap > 0.5, values: [['L − H', gap, 'bits']] };
    },
    question: T('Find a distribution whose Huffman code wastes more than half a bit per symbol: L − H > 0.5 bits.', '找一个分布，使其霍夫曼码每符号浪费超过半个比特：L − H > 0.5 比特。'),
    hint: T('Every codeword has at least 1 bit, however little information a symbol carries.', '无论一个符号携带多少信息，每个码字至少有 1 比特。'),
    explain: T('With two outcomes the code is 0/1, so L = 1 bit, while H → 0 as one outcome becomes certain: p = (0.95, 0.05) gives H ≈ 0.286 and L − H ≈ 0.714 bits. The gap is always below 1 bit; coding blocks of symbols together shrinks it per symbol.',
      '两个结果时码为 0/1，所以 L = 1 比特，而当一个结果趋于必然时 H → 0：p = (0.95, 0.05) 给出 H ≈ 0.286、L − H ≈ 0.714 比特。差距总小于 1 比特；把多个符号合成块一起编码可以减小每符号的差距。'),
  },

  // 2.1 KL
  {
    id: 'kl-asymmetry', section: 'kl', widget: 'kl-discrete', kind: 'predict',
    start: 'p:0.6~0.25~0.1~0.05;q:0.25~0.25~0.25~0.25;unit:bits',
    choices: [
      { text: T('KL(p ‖ q) is larger', 'KL(p ‖ q) 更大'), why: T('KL is not symmetric, and here KL(q ‖ p) comes out larger. Its terms are q·log₂(q/p): q puts 0.25 on outcome 4 where p is 0.05 (≈ 0.58 bits) and 0.25 on outcome 3 where p is 0.1 (≈ 0.33 bits). KL(p ‖ q) has a large term from p\'s peak (≈ 0.76 bits), but negative terms where p < q cancel part of it.', 'KL 不对称，这里 KL(q ‖ p) 更大。它的各项为 q·log₂(q/p)：q 在结果 4 上放了 0.25 而 p 只有 0.05（≈ 0.58 比特），在结果 3 上放了 0.25 而 p 只有 0.1（≈ 0.33 比特）。KL(p ‖ q) 在 p 的峰处有一大项（≈ 0.76 比特），但 p < q 处的负项抵消了其中一部分。') },
      { text: T('KL(q ‖ p) is larger', 'KL(q ‖ p) 更大') },
      { text: T('they are equal', '两者相等'), why: T('KL is not symmetric: KL(p ‖ q) weighs log(p/q) by p, KL(q ‖ p) weighs log(q/p) by q. They agree only in special cases (e.g. p = q).', 'KL 不对称：KL(p ‖ q) 用 p 对 log(p/q) 加权，KL(q ‖ p) 用 q 对 log(q/p) 加权。只有特殊情况下（如 p = q）两者才相等。') },
    ],
    answer: (lab) => {
      const p = [0.6, 0.25, 0.1, 0.05];
      const q = [0.25, 0.25, 0.25, 0.25];
      return bySign(lab.klDivergence(p, q, 2) - lab.klDivergence(q, p, 2), [0, 1, 2]);
    },
    question: T('p = (0.6, 0.25, 0.1, 0.05) and q is uniform on 4 outcomes. Which is larger, KL(p ‖ q) or KL(q ‖ p)?', 'p = (0.6, 0.25, 0.1, 0.05)，q 是 4 个结果上的均匀分布。KL(p ‖ q) 与 KL(q ‖ p) 哪个更大？'),
    hint: T('KL(q ‖ p) averages log(q/p) under q, which puts a quarter of its mass on outcome 4, where p is only 0.05.', 'KL(q ‖ p) 在 q 下平均 log(q/p)，而 q 在结果 4 上有四分之一的质量，那里 p 只有 0.05。'),
    explain: T('KL(p ‖ q) = log₂ 4 − H(p) ≈ 2 − 1.490 = 0.510 bits; KL(q ‖ p) = ¼ Σ log₂(0.25/pᵢ) ≈ 0.595 bits. q spreads mass where p is small, and KL(q ‖ p) charges for that heavily.',
      'KL(p ‖ q) = log₂ 4 − H(p) ≈ 2 − 1.490 = 0.510 比特；KL(q ‖ p) = ¼ Σ log₂(0.25/pᵢ) ≈ 0.595 比特。q 把质量放在 p 很小的地方，KL(q ‖ p) 对此惩罚很重。'),
  },
  {
    id: 'kl-target', section: 'kl', widget: 'kl-discrete', kind: 'target',
    start: 'p:0.3~0.4~0.2~0.1;q:0.25~0.35~0.25~0.15;unit:bits',
    solution: 'p:0.15~0.2833~0.2833~0.2834;q:0.0001~0.3333~0.3333~0.3333;unit:bits',
    check: (lab, s) => {
      const pq = lab.klDivergence(s.p, s.q, 2);
      const qp = lab.klDivergence(s.q, s.p, 2);
      return { ok: pq > 1 && qp < 0.3, values: [['KL(p ‖ q)', pq, 'bits'], ['KL(q ‖ p)', qp, 'bits']] };
    },
    question: T('Edit p and q so that KL(p ‖ q) exceeds 1 bit while KL(q ‖ p) stays below 0.3 bits.', '编辑 p 和 q，使 KL(p ‖ q) 超过 1 比特，而 KL(q ‖ p) 保持在 0.3 比特以下。'),
    hint: T('Give q almost no mass on one outcome where p has a little (say 0.15), and keep the other ratios equal.', '让 q 在某个结果上几乎没有质量，而 p 在那里有一点（比如 0.15），并让其余各项的比值相同。'),
    explain: T('KL(p ‖ q) pays p₁·log(p₁/q₁), which grows without bound as q₁ → 0; KL(q ‖ p) weighs that outcome by q₁ ≈ 0 and pays only for the small rescaling of the rest. E.g. p₁ = 0.15, q₁ = 0.0001 and the rest in the same proportions: KL(p ‖ q) ≈ 1.38 bits, KL(q ‖ p) ≈ 0.23 bits.',
      'KL(p ‖ q) 要付 p₁·log(p₁/q₁)，当 q₁ → 0 时无界增长；KL(q ‖ p) 用 q₁ ≈ 0 给这个结果加权，只为其余部分的轻微缩放付出代价。例如 p₁ = 0.15、q₁ = 0.0001，其余按相同比例：KL(p ‖ q) ≈ 1.38 比特，KL(q ‖ p) ≈ 0.23 比特。'),
  },
  {
    id: 'kl-value', section: 'kl', widget: 'kl-discrete', kind: 'numeric', unit: 'bits', tol: 0.002,
    start: 'p:0.5~0.5;q:0.25~0.75;unit:bits',
    answer: (lab) => lab.klDivergence([0.5, 0.5], [0.25, 0.75], 2),
    wrong: [
      { value: (lab) => lab.klDivergence([0.25, 0.75], [0.5, 0.5], 2), why: T('That is KL(q ‖ p). KL is not symmetric: KL(p ‖ q) averages log(p/q) under p.', '这是 KL(q ‖ p)。KL 不对称：KL(p ‖ q) 是在 p 下平均 log(p/q)。') },
      { value: (lab) => lab.klDivergence([0.5, 0.5], [0.25, 0.75]), why: T('That is the value in nats. In bits use log₂.', '这是以奈特为单位的值。以比特计请用 log₂。') },
    ],
    question: T('p = (1/2, 1/2) and q = (1/4, 3/4). What is KL(p ‖ q), in bits?', 'p = (1/2, 1/2)，q = (1/4, 3/4)。KL(p ‖ q) 是多少比特？'),
    hint: T('KL(p ‖ q) = Σ pᵢ log₂(pᵢ/qᵢ) = ½ log₂ 2 + ½ log₂(2/3).', 'KL(p ‖ q) = Σ pᵢ log₂(pᵢ/qᵢ) = ½ log₂ 2 + ½ log₂(2/3)。'),
    explain: T('½·1 + ½·(−0.585) ≈ 0.2075 bits. One term is negative (q₂ > p₂), yet the sum is ≥ 0 (Gibbs\' inequality). The other direction, KL(q ‖ p) ≈ 0.189 bits, differs.',
      '½·1 + ½·(−0.585) ≈ 0.2075 比特。其中一项为负（q₂ > p₂），但总和 ≥ 0（Gibbs 不等式）。反方向 KL(q ‖ p) ≈ 0.189 比特，与之不同。'),
  },
  {
    id: 'kl-zero', section: 'kl', widget: 'kl-discrete', kind: 'predict',
    start: 'p:0.4~0.3~0.2~0.1;q:0.5~0.3~0.2~0;unit:bits',
    choices: [
      { text: T('KL(p ‖ q) is infinite, KL(q ‖ p) is finite', 'KL(p ‖ q) 为无穷大，KL(q ‖ p) 有限') },
      { text: T('KL(q ‖ p) is infinite, KL(p ‖ q) is finite', 'KL(q ‖ p) 为无穷大，KL(p ‖ q) 有限'), why: T('In KL(q ‖ p) the term of outcome 4 is q₄ log(q₄/p₄) = 0 · log(0/0.1) = 0, by the convention 0 · log 0 = 0: a zero of the distribution in front costs nothing.', '在 KL(q ‖ p) 中结果 4 那一项是 q₄ log(q₄/p₄) = 0 · log(0/0.1) = 0（按约定 0 · log 0 = 0）：前面那个分布的零概率不产生代价。') },
      { text: T('both are finite: a zero just drops out', '两者都有限：零概率项直接消失'), why: T('The convention 0 · log 0 = 0 applies to a zero of the first argument only. A zero of the second where the first is positive gives p log(p/0) = +∞.', '约定 0 · log 0 = 0 只适用于第一个参数中的零。第二个参数为零而第一个为正时，p log(p/0) = +∞。') },
    ],
    answer: (lab) => {
      const p = [0.4, 0.3, 0.2, 0.1];
      const q = [0.5, 0.3, 0.2, 0];
      const a = lab.klDivergence(p, q, 2) === Infinity;
      const b = lab.klDivergence(q, p, 2) === Infinity;
      return a && !b ? 0 : b && !a ? 1 : 2;
    },
    question: T('p = (0.4, 0.3, 0.2, 0.1) and q = (0.5, 0.3, 0.2, 0). Which statement is true?', 'p = (0.4, 0.3, 0.2, 0.1)，q = (0.5, 0.3, 0.2, 0)。哪个说法正确？'),
    hint: T('Look at outcome 4 in each direction: which distribution sits in front of the log?', '在两个方向上分别看结果 4：哪个分布在对数前面？'),
    explain: T('KL(p ‖ q) contains 0.1 · log(0.1/0) = +∞: q rules out an outcome p allows, so coding p with q\'s code fails. KL(q ‖ p) has q₄ = 0 in front, contributing 0, and is finite (≈ 0.161 bits).',
      'KL(p ‖ q) 含有 0.1 · log(0.1/0) = +∞：q 排除了 p 允许的结果，用 q 的编码来编 p 会失败。KL(q ‖ p) 中 q₄ = 0 在前面，贡献为 0，结果有限（≈ 0.161 比特）。'),
  },

  // 2.2 Mode covering and mode seeking
  {
    id: 'fit-reverse', section: 'fit', widget: 'kl-fit', kind: 'predict',
    start: 'w:0.5~0.5;m:-3~3;s:0.5~0.5;mu:0.5;sigma:1.5',
    choices: [
      { text: T('on one of the two modes, with σ near 0.5', '落在两个峰之一上，σ 约为 0.5') },
      { text: T('centred near 0, wide enough (σ ≈ 3) to cover both modes', '以 0 附近为中心，宽到（σ ≈ 3）能覆盖两个峰'), why: T('That is the forward-KL fit, KL(p ‖ q), which must put mass wherever p has some (mass covering). Reverse KL, KL(q ‖ p), pays for q\'s mass where p is small, so it avoids the gap between the modes.', '那是前向 KL 拟合 KL(p ‖ q)：p 有质量的地方 q 都必须有（覆盖质量）。反向 KL，即 KL(q ‖ p)，为 q 放在 p 很小处的质量付出代价，所以会避开两峰之间的空隙。') },
      { text: T('at 0, narrow, between the modes', '在 0 处，很窄，位于两峰之间'), why: T('Between the modes p is nearly 0, so q there makes log(q/p) huge: that is the worst place for reverse KL.', '两峰之间 p 几乎为 0，q 放在那里会使 log(q/p) 很大：这是反向 KL 最糟的位置。') },
    ],
    answer: (lab) => {
      const fit = new lab.MixtureFit([0.5, 0.5], [-3, 3], [0.5, 0.5]);
      try {
        let s = fit.descentStart('reverse', 0.5, Math.log(1.5));
        for (let i = 0; i < 200; i += 1) s = fit.descentStep('reverse', s);
        const [mu, logSigma] = s;
        if (Math.abs(Math.abs(mu) - 3) < 0.1 && Math.abs(Math.exp(logSigma) - 0.5) < 0.1) return 0;
        return Math.abs(mu) < 0.5 && Math.exp(logSigma) > 2 ? 1 : 2;
      } finally {
        fit.free();
      }
    },
    question: T('p is an equal mixture of N(−3, 0.5²) and N(3, 0.5²). A Gaussian q starts at μ = 0.5, σ = 1.5 and descends the reverse KL, KL(q ‖ p). Where does it end?',
      'p 是 N(−3, 0.5²) 与 N(3, 0.5²) 的等权混合。高斯分布 q 从 μ = 0.5、σ = 1.5 出发，沿反向 KL，即 KL(q ‖ p) 下降。它最终停在哪里？'),
    hint: T('KL(q ‖ p) = E_q[log q − log p]: it is an average under q, and log p is very negative between the modes.', 'KL(q ‖ p) = E_q[log q − log p]：这是在 q 下的平均，而两峰之间 log p 非常负。'),
    explain: T('Reverse KL is mode seeking: q ends on a single mode, μ ≈ ±3 with σ ≈ 0.5, and KL ≈ ln 2 ≈ 0.693 nats (it misses half of p\'s mass). The two modes are two equally good local optima; from this start the widget\'s natural-gradient descent first widens q, then lands on the mode at −3, although it started nearer +3. The forward fit is μ = 0, σ = √9.25 ≈ 3.04.',
      '反向 KL 趋向单峰（mode seeking）：q 最终落在一个峰上，μ ≈ ±3、σ ≈ 0.5，KL ≈ ln 2 ≈ 0.693 奈特（漏掉了 p 一半的质量）。两个峰是同样好的两个局部最优；从这个起点出发，小部件的自然梯度下降先把 q 变宽，然后落在 −3 处的峰上，尽管它起步时离 +3 更近。前向拟合为 μ = 0、σ = √9.25 ≈ 3.04。'),
  },
  {
    id: 'fit-forward-sigma', section: 'fit', widget: 'kl-fit', kind: 'numeric', unit: '', tol: 0.01,
    start: 'w:0.5~0.5;m:-3~3;s:0.5~0.5;mu:0;sigma:1.5',
    answer: (lab) => {
      const fit = new lab.MixtureFit([0.5, 0.5], [-3, 3], [0.5, 0.5]);
      try { return fit.fitForward()[1]; } finally { fit.free(); }
    },
    wrong: [{ value: () => 0.5, why: T('0.5 is one mode\'s width: that is where reverse KL can settle. Forward KL matches p\'s variance, which includes the spread between the modes.', '0.5 是单个峰的宽度：那是反向 KL 可能停留的地方。前向 KL 匹配 p 的方差，其中包括两峰之间的分散。') },
      { value: () => 9.25, why: T('9.25 is the variance σ²; the question asks for σ.', '9.25 是方差 σ²；题目问的是 σ。') }],
    question: T('Same p (equal mixture of N(−3, 0.5²) and N(3, 0.5²)). The Gaussian q minimising the forward KL, KL(p ‖ q), has which standard deviation σ?',
      '同样的 p（N(−3, 0.5²) 与 N(3, 0.5²) 的等权混合）。使前向 KL，即 KL(p ‖ q) 最小的高斯 q，其标准差 σ 是多少？'),
    hint: T('Minimising KL(p ‖ q) over Gaussians matches p\'s mean and variance. Var = E[within-component variance] + Var(component means).', '在高斯族上最小化 KL(p ‖ q) 等于匹配 p 的均值和方差。方差 = 组内方差的期望 + 组均值的方差。'),
    explain: T('Mean 0; variance 0.5² + 3² = 9.25, so σ = √9.25 ≈ 3.041, in the units of x. q covers both modes and puts much of its mass in the empty gap between them.',
      '均值为 0；方差 0.5² + 3² = 9.25，所以 σ = √9.25 ≈ 3.041（与 x 同单位）。q 覆盖两个峰，并把大量质量放在两峰之间的空白处。'),
  },
  {
    id: 'fit-target', section: 'fit', widget: 'kl-fit', kind: 'target',
    start: 'w:0.45~0.55;m:-2.5~2;s:0.6~0.9;mu:0;sigma:1.5', solution: 'w:0.45~0.55;m:-2.5~2;s:0.6~0.9;mu:2;sigma:0.9',
    check: (lab, s) => {
      const fit = new lab.MixtureFit(s.p.weights, s.p.means, s.p.sigmas);
      try {
        const rev = fit.reverseKl(s.q.mu, s.q.sigma);
        return { ok: rev < 0.65, values: [['KL(q ‖ p)', rev, 'nats'], ['KL(p ‖ q)', fit.forwardKl(s.q.mu, s.q.sigma), 'nats']] };
      } finally {
        fit.free();
      }
    },
    question: T('With p = 0.45·N(−2.5, 0.6²) + 0.55·N(2, 0.9²), move q (no fit running) until KL(q ‖ p) < 0.65 nats. Then look at KL(p ‖ q).',
      '对 p = 0.45·N(−2.5, 0.6²) + 0.55·N(2, 0.9²)，移动 q（不运行拟合），直到 KL(q ‖ p) < 0.65 奈特。然后看看 KL(p ‖ q)。'),
    hint: T('Sit q on one mode with that mode\'s width. Which mode has more weight?', '让 q 落在某个峰上并取该峰的宽度。哪个峰的权重更大？'),
    explain: T('With q on a well-separated component k, KL(q ‖ p) ≈ −ln wₖ: −ln 0.55 ≈ 0.598 nats on the right mode (q = N(2, 0.9²) gives 0.594), but −ln 0.45 ≈ 0.80 on the left, so only the heavier mode passes. KL(p ‖ q) is then about 5 nats: q ignores the other mode, which the forward direction punishes.',
      '当 q 落在一个分得很开的分量 k 上时，KL(q ‖ p) ≈ −ln wₖ：右峰为 −ln 0.55 ≈ 0.598 奈特（q = N(2, 0.9²) 时为 0.594），左峰为 −ln 0.45 ≈ 0.80，所以只有权重大的峰能达标。此时 KL(p ‖ q) 约为 5 奈特：q 忽略了另一个峰，前向 KL 对此惩罚很重。'),
  },
  // 2.3 Mutual information
  {
    id: 'mi-bsc', section: 'mutual', widget: 'mutual-information', kind: 'numeric', unit: 'bits', tol: 0.005,
    start: 'joint:0.45~0.05~0.05~0.45;nx:2;unit:bits',
    answer: (lab) => lab.jointReport([0.45, 0.05, 0.05, 0.45], 2, 2).mutualInformation,
    wrong: [
      { value: (lab) => lab.jointReport([0.45, 0.05, 0.05, 0.45], 2, 2).hYGivenX, why: T('That is H(Y | X) = h(0.1), the uncertainty the flips add. The information is what is left of H(Y): I(X; Y) = H(Y) − H(Y | X).', '这是 H(Y | X) = h(0.1)，即翻转带来的不确定性。信息量是 H(Y) 剩下的部分：I(X; Y) = H(Y) − H(Y | X)。') },
      { value: () => 1, why: T('1 bit = H(X) would need a noiseless channel (ε = 0): each flip destroys some of what Y says about X.', '1 比特 = H(X) 需要无噪声信道（ε = 0）：每次翻转都会破坏 Y 关于 X 的部分信息。') },
    ],
    question: T('X is a fair bit and Y is X flipped with probability ε = 0.1 (a binary symmetric channel). What is I(X; Y), in bits?',
      'X 是一个均匀比特，Y 是以概率 ε = 0.1 翻转后的 X（二元对称信道）。I(X; Y) 是多少比特？'),
    hint: T('I(X; Y) = H(Y) − H(Y | X). Y is a fair bit too, and given X the only uncertainty left is the flip.', 'I(X; Y) = H(Y) − H(Y | X)。Y 也是均匀比特，给定 X 后剩下的唯一不确定性是是否翻转。'),
    explain: T('H(Y) = 1 bit and H(Y | X) = h(0.1) = −0.1 log₂ 0.1 − 0.9 log₂ 0.9 ≈ 0.469 bits, so I(X; Y) ≈ 1 − 0.469 = 0.531 bits per use of the channel.',
      'H(Y) = 1 比特，H(Y | X) = h(0.1) = −0.1 log₂ 0.1 − 0.9 log₂ 0.9 ≈ 0.469 比特，所以每次使用信道 I(X; Y) ≈ 1 − 0.469 = 0.531 比特。'),
  },
  {
    id: 'mi-chain', section: 'mutual', widget: 'mutual-information', kind: 'predict',
    start: 'joint:0.45~0.05~0.05~0.45;nx:2;unit:bits;e1:0.1;e2:0.2',
    choices: [
      { text: T('I(X; Z) < I(X; Y)', 'I(X; Z) < I(X; Y)') },
      { text: T('I(X; Z) > I(X; Y): the second channel adds randomness, hence information', 'I(X; Z) > I(X; Y)：第二个信道增加了随机性，也就增加了信息'), why: T('Randomness is not information about X: noise raises H(Z) but raises H(Z | X) as much or more. No processing of Y, random or not, can tell more about X than Y does (the data-processing inequality).', '随机性不是关于 X 的信息：噪声提高了 H(Z)，但 H(Z | X) 提高得同样多甚至更多。对 Y 的任何处理，无论是否随机，都不能比 Y 本身提供更多关于 X 的信息（数据处理不等式）。') },
      { text: T('I(X; Z) = I(X; Y): a chain keeps the information', 'I(X; Z) = I(X; Y)：链条会保留信息'), why: T('Equality needs Z to keep everything Y says about X (a one-to-one map of Y, say). A noisy second channel loses some.', '等号要求 Z 保留 Y 关于 X 的全部信息（例如 Z 是 Y 的一一映射）。有噪声的第二个信道会丢失一部分。') },
    ],
    answer: (lab) => {
      const { iXY, iXZ } = lab.dataProcessing([0.5, 0.5], [0.9, 0.1, 0.1, 0.9], 2, [0.8, 0.2, 0.2, 0.8], 2, 2);
      return bySign(iXY - iXZ, [0, 1, 2]);
    },
    question: T('X is a fair bit, Y is X through a binary symmetric channel with ε₁ = 0.1, and Z is Y through another with ε₂ = 0.2 (X → Y → Z). How does I(X; Z) compare with I(X; Y)?',
      'X 是均匀比特，Y 是 X 经过 ε₁ = 0.1 的二元对称信道的输出，Z 是 Y 再经过 ε₂ = 0.2 的信道的输出（X → Y → Z）。I(X; Z) 与 I(X; Y) 相比如何？'),
    hint: T('Z is X flipped with probability 0.1 · 0.8 + 0.9 · 0.2: one flip, but not two.', 'Z 是以概率 0.1 · 0.8 + 0.9 · 0.2 翻转后的 X：恰好翻转一次，而不是两次。'),
    explain: T('Z is X flipped with probability 0.26, so I(X; Z) = 1 − h(0.26) ≈ 0.173 bits, against I(X; Y) ≈ 0.531 bits. For every Markov chain X → Y → Z, I(X; Z) ≤ I(X; Y): processing cannot create information about X.',
      'Z 是以概率 0.26 翻转后的 X，所以 I(X; Z) = 1 − h(0.26) ≈ 0.173 比特，而 I(X; Y) ≈ 0.531 比特。对任何马尔可夫链 X → Y → Z，都有 I(X; Z) ≤ I(X; Y)：处理不能创造关于 X 的信息。'),
  },
  {
    id: 'mi-function', section: 'mutual', widget: 'mutual-information', kind: 'target',
    start: 'joint:0.45~0.05~0.05~0.45;nx:2;unit:bits', solution: 'joint:0.25~0.25~0~0~0~0.5;nx:2;unit:bits',
    check: (lab, s) => {
      const r = lab.jointReport(s.joint, s.nx, 2);
      return {
        ok: r.hXGivenY < 1e-3 && r.hY - r.mutualInformation >= 0.4,
        values: [['H(X | Y)', r.hXGivenY, 'bits'], ['I(X; Y)', r.mutualInformation, 'bits'], ['H(Y)', r.hY, 'bits']],
      };
    },
    question: T('Edit the joint table so that X is a function of Y, H(X | Y) = 0 (below 0.001 bits), while I(X; Y) is at least 0.4 bits smaller than H(Y).',
      '编辑联合分布表，使 X 是 Y 的函数，即 H(X | Y) = 0（低于 0.001 比特），同时 I(X; Y) 比 H(Y) 至少小 0.4 比特。'),
    hint: T('H(X | Y) = 0 means every column y has only one x with p(x, y) > 0. You need a third value of Y.', 'H(X | Y) = 0 意味着每一列 y 只有一个 x 使 p(x, y) > 0。你需要 Y 的第三个取值。'),
    explain: T('With X = f(Y), I(X; Y) = H(X) − H(X | Y) = H(X), and H(Y) − I(X; Y) = H(Y | X): several values of Y must share one x. E.g. p(0, y₁) = p(0, y₂) = 0.25, p(1, y₃) = 0.5: H(Y) = 1.5 bits, I(X; Y) = H(X) = 1 bit.',
      '当 X = f(Y) 时，I(X; Y) = H(X) − H(X | Y) = H(X)，而 H(Y) − I(X; Y) = H(Y | X)：必须有几个 Y 值对应同一个 x。例如 p(0, y₁) = p(0, y₂) = 0.25，p(1, y₃) = 0.5：H(Y) = 1.5 比特，I(X; Y) = H(X) = 1 比特。'),
  },

  // 3.1 Likelihood and the Beta posterior
  {
    id: 'lik-loglik', section: 'likelihood', widget: 'likelihood', kind: 'numeric', unit: 'nats', tol: 0.005,
    start: 'heads:7;tails:3;theta:0.5',
    answer: (lab) => lab.coinLikelihood(7, 3, 0.5).logLikelihood,
    wrong: [
      { value: (lab) => Math.log(lab.binomialPmf(10, 0.5)[7]), why: T('That is ln P(7 heads in 10 flips), which counts the C(10, 7) = 120 orders. The likelihood of the sequence you saw has no such factor; the two differ by a constant in θ and have the same maximum.', '这是 ln P(10 次中 7 次正面)，它计入了 C(10, 7) = 120 种顺序。你所观察到的序列的似然没有这个因子；两者只差一个与 θ 无关的常数，最大值点相同。') },
      { value: () => -10, why: T('That is in bits (10 log₂ 0.5). The log-likelihood here is in nats: natural logarithms.', '这是以比特为单位的（10 log₂ 0.5）。这里的对数似然以奈特为单位：自然对数。') },
    ],
    question: T('You flip a coin 10 times and see a sequence with 7 heads and 3 tails. What is the log-likelihood ln L(θ) of θ = 0.5 for this sequence, in nats?',
      '你抛一枚硬币 10 次，看到一个含 7 次正面、3 次反面的序列。对这个序列，θ = 0.5 的对数似然 ln L(θ) 是多少奈特？'),
    hint: T('For the observed sequence, L(θ) = θ^h (1 − θ)^t.', '对观察到的序列，L(θ) = θ^h (1 − θ)^t。'),
    explain: T('ln L(0.5) = 7 ln 0.5 + 3 ln 0.5 = 10 ln 0.5 ≈ −6.931 nats. The maximum is at the MLE θ = 0.7: ln L(0.7) = 7 ln 0.7 + 3 ln 0.3 ≈ −6.109 nats.',
      'ln L(0.5) = 7 ln 0.5 + 3 ln 0.5 = 10 ln 0.5 ≈ −6.931 奈特。最大值在 MLE θ = 0.7 处：ln L(0.7) = 7 ln 0.7 + 3 ln 0.3 ≈ −6.109 奈特。'),
  },
  {
    id: 'lik-shrink', section: 'likelihood', widget: 'likelihood', kind: 'predict',
    start: 'heads:7;tails:3;theta:0.5;a:5;b:5',
    choices: [
      { text: T('below 0.7, pulled toward 0.5', '低于 0.7，被拉向 0.5') },
      { text: T('exactly 0.7: the data decide', '恰好是 0.7：由数据决定'), why: T('With a Beta(a, b) prior the posterior mean is (a + h)/(a + b + h + t): the prior acts like a + b = 10 extra flips, half of them heads, and pulls the mean toward 0.5. The data dominate only as h + t grows.', '在 Beta(a, b) 先验下，后验均值为 (a + h)/(a + b + h + t)：先验相当于额外的 a + b = 10 次抛掷，其中一半正面，把均值拉向 0.5。只有 h + t 变大时数据才占主导。') },
      { text: T('above 0.7', '高于 0.7'), why: T('A prior centred at 0.5 cannot push the estimate further from 0.5 than the data alone.', '以 0.5 为中心的先验不会把估计推得比数据本身离 0.5 更远。') },
    ],
    answer: (lab) => bySign(lab.betaPosterior(7, 3, 5, 5).mean - lab.coinLikelihood(7, 3, 0.5).mle, [2, 0, 1]),
    question: T('Prior Beta(5, 5) on θ, data 7 heads and 3 tails. Where is the posterior mean, compared with the MLE 0.7?',
      'θ 的先验为 Beta(5, 5)，数据为 7 次正面、3 次反面。后验均值与 MLE 0.7 相比在哪里？'),
    hint: T('Conjugacy: the posterior is Beta(a + h, b + t).', '共轭性：后验为 Beta(a + h, b + t)。'),
    explain: T('The posterior is Beta(5 + 7, 5 + 3) = Beta(12, 8), with mean 12/20 = 0.6 < 0.7 = h/(h + t). The posterior mean is a weighted average of the prior mean 0.5 and the MLE, with weights 10 and 10.',
      '后验为 Beta(5 + 7, 5 + 3) = Beta(12, 8)，均值 12/20 = 0.6 < 0.7 = h/(h + t)。后验均值是先验均值 0.5 与 MLE 的加权平均，权重分别为 10 和 10。'),
  },
  {
    id: 'lik-prior', section: 'likelihood', widget: 'likelihood', kind: 'target',
    start: 'heads:7;tails:3;theta:0.5', solution: 'heads:7;tails:3;theta:0.5;a:20;b:24',
    check: (lab, s) => {
      const a = s.a ?? 1;
      const b = s.b ?? 1;
      const mean = lab.betaPosterior(s.heads, s.tails, a, b).mean;
      return { ok: s.heads === 7 && s.tails === 3 && Math.abs(mean - 0.5) <= 0.01, values: [['h', s.heads, ''], ['t', s.tails, ''], ['a', a, ''], ['b', b, ''], ['E[θ | data]', mean, '']] };
    },
    question: T('Keep the data at 7 heads and 3 tails, and choose a Beta(a, b) prior that makes the posterior mean 0.5 (within ±0.01).',
      '保持数据为 7 次正面、3 次反面，选择一个 Beta(a, b) 先验，使后验均值为 0.5（误差 ±0.01 以内）。'),
    hint: T('The posterior mean is (a + 7)/(a + b + 10).', '后验均值为 (a + 7)/(a + b + 10)。'),
    explain: T('(a + 7)/(a + b + 10) = 0.5 exactly when b = a + 4: the prior must hold 4 more pseudo-tails than pseudo-heads to balance the data\'s 4 extra heads, e.g. Beta(20, 24). The MLE stays 0.7; only the posterior moves.',
      '当 b = a + 4 时 (a + 7)/(a + b + 10) = 0.5 恰好成立：先验必须比伪正面多 4 个伪反面，以抵消数据中多出的 4 次正面，例如 Beta(20, 24)。MLE 仍为 0.7，只有后验在移动。'),
  },

  // 3.2 Posterior and the ELBO
  {
    id: 'post-evidence', section: 'posterior', widget: 'posterior', kind: 'numeric', unit: 'nats', tol: 0.005,
    start: 'model:gaussian;x:1;sigmaX:1;m:0;s:1',
    answer: (lab) => withPosterior(lab, 'gaussian', 1, { sigmaX: 1 }, (post) => post.logEvidence()),
    wrong: [
      { value: (lab) => withPosterior(lab, 'gaussian', 1, { sigmaX: 1 }, (post) => post.elbo(0, 1)), why: T('That is the ELBO of the starting q = N(0, 1): a lower bound on log p(x), short of it by KL(q ‖ p(z | x)).', '这是初始 q = N(0, 1) 的 ELBO：log p(x) 的下界，比它少 KL(q ‖ p(z | x))。') },
      { value: () => -0.5 * Math.log(2 * Math.PI) - 0.5, why: T('That uses variance 1 for x. But x = z + noise adds the prior\'s variance 1 to the noise\'s σx² = 1: x ~ N(0, 2).', '这里把 x 的方差当成了 1。但 x = z + 噪声，先验方差 1 加上噪声方差 σx² = 1：x ~ N(0, 2)。') },
    ],
    question: T('Model: z ~ N(0, 1), x | z ~ N(z, σx²) with σx = 1, and x = 1 is observed. What is log p(x), in nats?',
      '模型：z ~ N(0, 1)，x | z ~ N(z, σx²)，其中 σx = 1，观察到 x = 1。log p(x) 是多少奈特？'),
    hint: T('Marginally x = z + noise is Gaussian with mean 0 and variance 1 + σx².', '边缘地看，x = z + 噪声服从均值为 0、方差为 1 + σx² 的高斯分布。'),
    explain: T('p(x) = N(1; 0, 2), so log p(x) = −½ ln(2π · 2) − 1/(2 · 2) ≈ −1.266 − 0.25 = −1.516 nats. Every q has ELBO ≤ −1.516; q = p(z | x) = N(0.5, 0.5) reaches it.',
      'p(x) = N(1; 0, 2)，所以 log p(x) = −½ ln(2π · 2) − 1/(2 · 2) ≈ −1.266 − 0.25 = −1.516 奈特。任何 q 的 ELBO 都 ≤ −1.516；q = p(z | x) = N(0.5, 0.5) 可以达到它。'),
  },
  {
    id: 'post-constant', section: 'posterior', widget: 'posterior', kind: 'predict',
    start: 'model:gaussian;x:1;sigmaX:1;m:0;s:1',
    choices: [
      { text: T('it stays the same', '保持不变') },
      { text: T('it rises with the ELBO', '随 ELBO 一起上升'), why: T('log p(x) depends on the model and x only, not on q. Raising the ELBO shrinks the gap KL(q ‖ p(z | x)); only changing the model (its parameters θ, as VAE training does) moves log p(x).', 'log p(x) 只取决于模型和 x，与 q 无关。提高 ELBO 缩小的是差距 KL(q ‖ p(z | x))；只有改变模型（其参数 θ，如 VAE 训练那样）才会改变 log p(x)。') },
      { text: T('it falls as the KL shrinks', '随 KL 缩小而下降'), why: T('The bar\'s total is log p(x) = ELBO + KL for every q: when the KL falls, the ELBO rises by exactly as much.', '条形的总长对任何 q 都是 log p(x) = ELBO + KL：KL 下降多少，ELBO 就恰好上升多少。') },
    ],
    answer: (lab) => withPosterior(lab, 'gaussian', 1, { sigmaX: 1 }, (post) => {
      const total = (m, s) => post.elbo(m, s) + post.klToPosterior(m, s);
      return bySign(total(0.5, 0.7) - total(0, 1), [1, 2, 0], 1e-9);
    }),
    question: T('Press Play on the posterior widget: Adam moves q to raise the ELBO. What happens to log p(x), the total length of the bar ELBO + KL?',
      '在后验小部件上按“播放”：Adam 移动 q 以提高 ELBO。log p(x)，即 ELBO + KL 条形的总长，会怎样？'),
    hint: T('Which of p(z), p(x | z), x and q does log p(x) = log ∫ p(x | z) p(z) dz involve?', 'log p(x) = log ∫ p(x | z) p(z) dz 涉及 p(z)、p(x | z)、x 和 q 中的哪些？'),
    explain: T('log p(x) = ELBO(q) + KL(q ‖ p(z | x)) for every q. At q = N(0, 1): −1.919 + 0.403 = −1.516 nats, and the same total at every other q. Adam only moves length from the KL part to the ELBO part.',
      '对任何 q，log p(x) = ELBO(q) + KL(q ‖ p(z | x))。在 q = N(0, 1) 处：−1.919 + 0.403 = −1.516 奈特，其他任何 q 总和都相同。Adam 只是把长度从 KL 部分移到 ELBO 部分。'),
  },
  {
    id: 'post-target', section: 'posterior', widget: 'posterior', kind: 'target',
    start: 'model:gaussian;x:2;sigmaX:0.5;m:0;s:1', solution: 'model:gaussian;x:2;sigmaX:0.5;m:1.6;s:0.447',
    check: (lab, { state: v }) => withPosterior(lab, v.model, v.x, v.params, (post) => {
      const [elbo, logp] = [post.elbo(v.m, v.s), post.logEvidence()];
      const ok = v.model === 'gaussian' && v.x === 2 && v.params.sigmaX === 0.5 && logp - elbo < 0.01;
      return { ok, values: [['ELBO', elbo, 'nats'], ['log p(x)', logp, 'nats'], ['log p(x) − ELBO', logp - elbo, 'nats']] };
    }),
    question: T('Model z ~ N(0, 1), x | z ~ N(z, 0.5²), with x = 2 observed. Find a q = N(m, s²) whose ELBO is within 0.01 nats of log p(x), by hand or with Adam.',
      '模型 z ~ N(0, 1)，x | z ~ N(z, 0.5²)，观察到 x = 2。找一个 q = N(m, s²)，使其 ELBO 与 log p(x) 相差不到 0.01 奈特（手动或用 Adam）。'),
    hint: T('The gap is KL(q ‖ p(z | x)), and here p(z | x) is itself Gaussian: precisions add.', '差距是 KL(q ‖ p(z | x))，而这里 p(z | x) 本身就是高斯分布：精度相加。'),
    explain: T('Posterior precision 1 + 1/0.25 = 5, so variance 0.2 (s ≈ 0.447) and mean (2/0.25)/5 = 1.6. q\'s family contains the posterior, so the gap can reach 0: q = N(1.6, 0.447²). A gap under 0.01 nats leaves only a small neighbourhood of it.',
      '后验精度为 1 + 1/0.25 = 5，所以方差为 0.2（s ≈ 0.447），均值为 (2/0.25)/5 = 1.6。q 的分布族包含后验，所以差距可以为 0：q = N(1.6, 0.447²)。差距小于 0.01 奈特只允许它附近的一小片区域。'),
  },

  // 3.3 The derivations
  {
    id: 'deriv-kl-prior', section: 'derivation', widget: 'derivation', kind: 'numeric', unit: 'nats', tol: 0.005,
    start: 'model:gaussian;x:1;sigmaX:1;m:1;s:0.5',
    answer: (lab) => lab.gaussianKl(1, 0.5, 0, 1),
    wrong: [{ value: (lab) => lab.gaussianKl(0, 1, 1, 0.5), why: T('That is KL(p(z) ‖ q), the other direction. The ELBO subtracts KL(q ‖ p(z)): an average under q.', '这是反方向的 KL(p(z) ‖ q)。ELBO 减去的是 KL(q ‖ p(z))：在 q 下的平均。') }],
    question: T('In the VAE form ELBO = E_q[log p(x | z)] − KL(q ‖ p(z)), take the prior p(z) = N(0, 1) and q = N(1, 0.5²). What is KL(q ‖ p(z)), in nats?',
      '在 VAE 形式 ELBO = E_q[log p(x | z)] − KL(q ‖ p(z)) 中，取先验 p(z) = N(0, 1)，q = N(1, 0.5²)。KL(q ‖ p(z)) 是多少奈特？'),
    hint: T('KL(N(m, s²) ‖ N(0, 1)) = ½ (m² + s² − 1 − ln s²).', 'KL(N(m, s²) ‖ N(0, 1)) = ½ (m² + s² − 1 − ln s²)。'),
    explain: T('½ (1 + 0.25 − 1 − ln 0.25) = ½ (0.25 + 1.386) ≈ 0.818 nats. It is 0 only for q = N(0, 1): the prior.',
      '½ (1 + 0.25 − 1 − ln 0.25) = ½ (0.25 + 1.386) ≈ 0.818 奈特。只有 q = N(0, 1)，即先验本身时它才为 0。'),
  },
  {
    id: 'deriv-bound', section: 'derivation', widget: 'derivation', kind: 'predict',
    start: 'model:gaussian;x:1;sigmaX:1;m:0;s:1',
    choices: [
      { text: T('ELBO ≤ log p(x), with equality exactly when q = p(z | x)', 'ELBO ≤ log p(x)，当且仅当 q = p(z | x) 时取等号') },
      { text: T('ELBO ≥ log p(x)', 'ELBO ≥ log p(x)'), why: T('The ELBO is a lower bound: log p(x) − ELBO = KL(q ‖ p(z | x)) ≥ 0 by Gibbs\' inequality.', 'ELBO 是下界：由 Gibbs 不等式，log p(x) − ELBO = KL(q ‖ p(z | x)) ≥ 0。') },
      { text: T('ELBO = log p(x) whenever KL(q ‖ p(z)) = 0', '只要 KL(q ‖ p(z)) = 0 就有 ELBO = log p(x)'), why: T('The KL to the prior is not the gap. At q = p(z) = N(0, 1), KL(q ‖ p(z)) = 0, yet the ELBO (−1.919 nats) is below log p(x) (−1.516): the gap is the KL to the posterior.', '到先验的 KL 不是差距。在 q = p(z) = N(0, 1) 处，KL(q ‖ p(z)) = 0，但 ELBO（−1.919 奈特）低于 log p(x)（−1.516）：差距是到后验的 KL。') },
    ],
    answer: (lab) => withPosterior(lab, 'gaussian', 1, { sigmaX: 1 }, (post) => {
      const atPrior = post.derivationValues(0, 1);
      const atPosterior = post.derivationValues(0.5, Math.SQRT1_2);
      if (atPrior.elbo > atPrior.logEvidence) return 1;
      const tight = Math.abs(atPosterior.elbo - atPosterior.logEvidence) < 1e-9;
      return tight && atPrior.klToPrior < 1e-12 && atPrior.logEvidence - atPrior.elbo > 0.1 ? 0 : 2;
    }),
    question: T('Which statement holds for every q on this model (z ~ N(0, 1), x | z ~ N(z, 1), x = 1)?', '对这个模型（z ~ N(0, 1)，x | z ~ N(z, 1)，x = 1）的每一个 q，哪个说法成立？'),
    hint: T('Set q to the prior (m = 0, s = 1) and read both KLs in the derivation.', '把 q 设为先验（m = 0，s = 1），在推导中读出两个 KL。'),
    explain: T('log p(x) = ELBO + KL(q ‖ p(z | x)) and the KL is ≥ 0, equal to 0 only for q = p(z | x) = N(0.5, 0.5). The VAE form\'s KL(q ‖ p(z)) is a different term: at q = p(z) it is 0 while the gap is 0.403 nats.',
      'log p(x) = ELBO + KL(q ‖ p(z | x))，且该 KL ≥ 0，只在 q = p(z | x) = N(0.5, 0.5) 时为 0。VAE 形式中的 KL(q ‖ p(z)) 是另一项：在 q = p(z) 处它为 0，而差距为 0.403 奈特。'),
  },
  {
    id: 'deriv-tradeoff', section: 'derivation', widget: 'derivation', kind: 'target',
    start: 'model:gaussian;x:1;sigmaX:1;m:0;s:1', solution: 'model:gaussian;x:1;sigmaX:1;m:0.5;s:0.5',
    check: (lab, { state: v }) => withPosterior(lab, v.model, v.x, v.params, (post) => {
      const d = post.derivationValues(v.m, v.s);
      const ok = v.model === 'gaussian' && v.x === 1 && v.params.sigmaX === 1 && d.expectedLogLikelihood > -1.2 && d.klToPrior < 0.5;
      return { ok, values: [['E_q[log p(x | z)]', d.expectedLogLikelihood, 'nats'], ['KL(q ‖ p(z))', d.klToPrior, 'nats'], ['ELBO', d.elbo, 'nats']] };
    }),
    question: T('On the model z ~ N(0, 1), x | z ~ N(z, 1), x = 1, find a q with E_q[log p(x | z)] > −1.2 nats while KL(q ‖ p(z)) < 0.5 nats.',
      '在模型 z ~ N(0, 1)，x | z ~ N(z, 1)，x = 1 上，找一个 q，使 E_q[log p(x | z)] > −1.2 奈特，同时 KL(q ‖ p(z)) < 0.5 奈特。'),
    hint: T('E_q[log p(x | z)] = −½ ln 2π − ((1 − m)² + s²)/2 wants m near 1 and s small; the KL wants m = 0, s = 1. Try halfway.', 'E_q[log p(x | z)] = −½ ln 2π − ((1 − m)² + s²)/2 希望 m 接近 1、s 很小；KL 希望 m = 0、s = 1。试试折中。'),
    explain: T('m = 0.5, s = 0.5 gives E_q[log p(x | z)] ≈ −0.919 − 0.25 = −1.169 nats and KL(q ‖ p(z)) = ½ (0.5 − 1 + 1.386) ≈ 0.443 nats: ELBO ≈ −1.612, close to log p(x) ≈ −1.516. Reconstruction pulls q toward the data, the KL term pulls it back to the prior.',
      'm = 0.5、s = 0.5 给出 E_q[log p(x | z)] ≈ −0.919 − 0.25 = −1.169 奈特，KL(q ‖ p(z)) = ½ (0.5 − 1 + 1.386) ≈ 0.443 奈特：ELBO ≈ −1.612，接近 log p(x) ≈ −1.516。重构项把 q 拉向数据，KL 项把它拉回先验。'),
  },

  // 3.4 Jensen and the IWAE bound
  {
    id: 'jensen-gap', section: 'jensen', widget: 'jensen', kind: 'numeric', unit: 'nats', tol: 0.002,
    start: 'w1:1;w2:4;lam:0.5',
    answer: () => jensenGap(1, 4, 0.5),
    wrong: [
      { value: () => Math.log(2), why: T('That is E[log w] = ½ ln 1 + ½ ln 4 = ln 2, the lower side of the inequality; the gap is log E[w] minus it.', '这是 E[log w] = ½ ln 1 + ½ ln 4 = ln 2，即不等式较小的一侧；差距是 log E[w] 减去它。') },
      { value: () => Math.log(2.5), why: T('That is log E[w] alone. The gap subtracts E[log w] = ln 2.', '这只是 log E[w]。差距还要减去 E[log w] = ln 2。') },
    ],
    question: T('w takes the value 1 with probability λ = 0.5 and the value 4 otherwise. What is the Jensen gap log E[w] − E[log w], in nats?',
      'w 以概率 λ = 0.5 取值 1，否则取值 4。Jensen 差距 log E[w] − E[log w] 是多少奈特？'),
    hint: T('E[w] = 0.5 · 1 + 0.5 · 4.', 'E[w] = 0.5 · 1 + 0.5 · 4。'),
    explain: T('E[w] = 2.5 and E[log w] = ½ ln 4 = ln 2, so the gap is ln 2.5 − ln 2 = ln 1.25 ≈ 0.223 nats. It is ≥ 0 because log is concave (Jensen), and 0 only when w is constant.',
      'E[w] = 2.5，E[log w] = ½ ln 4 = ln 2，所以差距为 ln 2.5 − ln 2 = ln 1.25 ≈ 0.223 奈特。由于 log 是凹函数（Jensen），它 ≥ 0，只有 w 为常数时才为 0。'),
  },
  {
    id: 'jensen-iwae', section: 'jensen', widget: 'jensen', kind: 'predict',
    start: 'model:gaussian;x:1;sigmaX:1;m:0;s:1;k:100',
    choices: [
      { text: T('between the ELBO and log p(x)', '介于 ELBO 与 log p(x) 之间') },
      { text: T('above log p(x): with enough samples it overshoots', '高于 log p(x)：样本足够多就会超过'), why: T('L_K ≤ log p(x) for every K: the average of K importance weights is an unbiased estimate of p(x), and Jensen\'s inequality puts the mean of its log below log p(x). L_K approaches log p(x) as K grows, but does not pass it.', '对每个 K 都有 L_K ≤ log p(x)：K 个重要性权重的平均是 p(x) 的无偏估计，Jensen 不等式使其对数的期望低于 log p(x)。L_K 随 K 增大趋近 log p(x)，但不会超过它。') },
      { text: T('equal to the ELBO: averaging samples changes nothing', '等于 ELBO：对样本取平均不改变任何东西'), why: T('That holds for K = 1 only (L₁ = ELBO). Averaging K weights before taking the log shrinks the Jensen gap, so L_K rises with K.', '这只对 K = 1 成立（L₁ = ELBO）。在取对数之前对 K 个权重取平均会缩小 Jensen 差距，所以 L_K 随 K 增大。') },
    ],
    answer: (lab) => withPosterior(lab, 'gaussian', 1, { sigmaX: 1 }, (post) => {
      const { estimate, stdError } = post.iwaeBound(0, 1, 100, 20000, 1);
      const [elbo, logp] = [post.elbo(0, 1), post.logEvidence()];
      if (estimate > logp + 3 * stdError) return 1;
      return estimate > elbo + 3 * stdError ? 0 : 2;
    }),
    question: T('Model z ~ N(0, 1), x | z ~ N(z, 1), x = 1, and q = N(0, 1). Where is the importance-weighted bound L₁₀₀ (K = 100)?',
      '模型 z ~ N(0, 1)，x | z ~ N(z, 1)，x = 1，q = N(0, 1)。重要性加权界 L₁₀₀（K = 100）在哪里？'),
    hint: T('L_K = E[log (1/K) Σ wₖ], and E[(1/K) Σ wₖ] = p(x) for every K.', 'L_K = E[log (1/K) Σ wₖ]，且对每个 K 都有 E[(1/K) Σ wₖ] = p(x)。'),
    explain: T('ELBO ≈ −1.919 nats and log p(x) ≈ −1.516. The seeded estimate of L₁₀₀ from 20000 draws (200 groups of 100) is ≈ −1.512 ± 0.004: within its standard error of log p(x) (an estimate can land slightly above log p(x); the bound itself cannot). ELBO = L₁ ≤ L_K ≤ L_{K+1} ≤ log p(x).',
      'ELBO ≈ −1.919 奈特，log p(x) ≈ −1.516。由 20000 次抽样（200 组，每组 100 个）得到的 L₁₀₀ 带种子估计约为 −1.512 ± 0.004：与 log p(x) 的差在一个标准误之内（估计值可能略高于 log p(x)，但界本身不会）。ELBO = L₁ ≤ L_K ≤ L_{K+1} ≤ log p(x)。'),
  },
  {
    id: 'jensen-spread', section: 'jensen', widget: 'jensen', kind: 'target',
    start: 'w1:0.5;w2:8;lam:0.5', solution: 'w1:0.1;w2:10;lam:0.5',
    check: (lab, s) => {
      const gap = jensenGap(s.w1, s.w2, s.lam);
      return { ok: Math.abs(s.lam - 0.5) < 1e-9 && gap > 1, values: [['λ', s.lam, ''], ['log E[w] − E[log w]', gap, 'nats']] };
    },
    question: T('Keep λ = 0.5 and place w₁ and w₂ so that the gap log E[w] − E[log w] exceeds 1 nat.', '保持 λ = 0.5，放置 w₁ 和 w₂，使差距 log E[w] − E[log w] 超过 1 奈特。'),
    hint: T('With λ = 0.5 the gap is the log of the arithmetic mean over the geometric mean of w₁ and w₂.', '当 λ = 0.5 时，差距是 w₁ 与 w₂ 的算术平均与几何平均之比的对数。'),
    explain: T('Gap = ln((w₁ + w₂)/2) − ln √(w₁w₂), which exceeds 1 when the two values are far apart on a log scale: w₁ = 0.1, w₂ = 10 gives ln 5.05 − 0 ≈ 1.619 nats. Widely spread importance weights are what make the ELBO a loose bound.',
      '差距 = ln((w₁ + w₂)/2) − ln √(w₁w₂)，当两个值在对数尺度上相距很远时超过 1：w₁ = 0.1、w₂ = 10 给出 ln 5.05 − 0 ≈ 1.619 奈特。重要性权重分散得很开，正是 ELBO 成为松弛下界的原因。'),
  },
  // 3.5 Variational inference in two dimensions
  {
    id: 'vi2d-mf-kl', section: 'vi-2d', widget: 'vi-2d', kind: 'numeric', unit: 'nats', tol: 0.005,
    start: `${CORRELATED};family:mean-field`,
    answer: (lab) => withTarget(lab, CORRELATED_TARGET, (p2) => p2.fit('mean-field', 'reverse').kl),
    wrong: [{ value: () => 0, why: T('KL = 0 needs q = p, which a factorised q cannot be when ρ ≠ 0: mean field ignores the correlation.', 'KL = 0 需要 q = p，而当 ρ ≠ 0 时因子分解的 q 做不到：平均场忽略了相关性。') }],
    question: T('The target is a correlated Gaussian with σ₁ = 1.5, σ₂ = 0.8 and ρ = 0.8. What is KL(q ‖ p) of the best mean-field q (the reverse-KL optimum), in nats?',
      '目标是一个相关高斯分布，σ₁ = 1.5，σ₂ = 0.8，ρ = 0.8。最佳平均场 q（反向 KL 最优解）的 KL(q ‖ p) 是多少奈特？'),
    hint: T('The answer depends on ρ only. Try the "Optimum" button, then change σ₁.', '答案只取决于 ρ。试试“最优”按钮，然后改变 σ₁。'),
    explain: T('The optimum keeps p\'s mean and takes variances (1 − ρ²)σᵢ² = 0.36σᵢ²; its KL(q ‖ p) = −½ ln(1 − ρ²) = −½ ln 0.36 ≈ 0.511 nats, whatever σ₁ and σ₂ are.',
      '最优解保持 p 的均值，方差取 (1 − ρ²)σᵢ² = 0.36σᵢ²；其 KL(q ‖ p) = −½ ln(1 − ρ²) = −½ ln 0.36 ≈ 0.511 奈特，与 σ₁、σ₂ 无关。'),
  },
  {
    id: 'vi2d-variance', section: 'vi-2d', widget: 'vi-2d', kind: 'predict',
    start: `${CORRELATED};family:mean-field`,
    choices: [
      { text: T('smaller than 2.25', '小于 2.25') },
      { text: T('equal to 2.25', '等于 2.25'), why: T('Matching the marginal variances is what the forward KL, KL(p ‖ q), does (moment matching). Reverse KL pays for q\'s mass where p is small, so a factorised q shrinks to fit inside p\'s tilted ellipse.', '匹配边缘方差是前向 KL，即 KL(p ‖ q) 的做法（矩匹配）。反向 KL 为 q 放在 p 很小处的质量付出代价，所以因子分解的 q 会收缩到 p 倾斜的椭圆之内。') },
      { text: T('larger than 2.25', '大于 2.25'), why: T('A wider q would put mass outside p\'s narrow ridge, which KL(q ‖ p) punishes hardest.', '更宽的 q 会把质量放到 p 狭窄山脊之外，这正是 KL(q ‖ p) 惩罚最重的。') },
    ],
    answer: (lab) => withTarget(lab, CORRELATED_TARGET, (p2) => bySign(p2.fit('mean-field', 'reverse').cov[0] - p2.moments()[2], [2, 0, 1], 1e-6)),
    question: T('Same target (σ₁ = 1.5, σ₂ = 0.8, ρ = 0.8): the true marginal variance of z₁ is σ₁² = 2.25. What is the variance of z₁ under the best mean-field q (reverse KL)?',
      '同一个目标（σ₁ = 1.5，σ₂ = 0.8，ρ = 0.8）：z₁ 的真实边缘方差为 σ₁² = 2.25。在最佳平均场 q（反向 KL）下 z₁ 的方差是多少？'),
    hint: T('Look at the mean-field ellipse next to p\'s contours: does it reach as far along z₁?', '看平均场椭圆与 p 的等高线：它沿 z₁ 方向伸展得一样远吗？'),
    explain: T('q\'s variance is (1 − ρ²)σ₁² = 0.36 · 2.25 = 0.81 < 2.25: the conditional variance of z₁ given z₂, not the marginal. Mean-field VI under reverse KL underestimates posterior variances of correlated variables (Bishop §10.1.2).',
      'q 的方差为 (1 − ρ²)σ₁² = 0.36 · 2.25 = 0.81 < 2.25：这是给定 z₂ 时 z₁ 的条件方差，而不是边缘方差。在反向 KL 下，平均场变分推断会低估相关变量的后验方差（Bishop §10.1.2）。'),
  },
  {
    id: 'vi2d-full', section: 'vi-2d', widget: 'vi-2d', kind: 'target',
    start: `${CORRELATED};family:full;qm:-2~2;qv:1~1~0`, solution: `${CORRELATED};family:full;qm:0~0;qv:2.25~0.64~0.96`,
    check: (lab, { state: v }) => withTarget(lab, v, (p2) => {
      const kl = p2.evaluate(v.q.mean, v.q.cov).kl;
      const same = v.target === 'gaussian' && Object.entries(CORRELATED_TARGET.params).every(([k, x]) => v.params[k] === x);
      return { ok: same && v.family === 'full' && kl < 0.05, values: [['KL(q ‖ p)', kl, 'nats']] };
    }),
    question: T('Keep the target (σ₁ = 1.5, σ₂ = 0.8, ρ = 0.8, means 0) and, with a full-covariance q, bring KL(q ‖ p) below 0.05 nats.',
      '保持目标不变（σ₁ = 1.5，σ₂ = 0.8，ρ = 0.8，均值为 0），用全协方差 q 使 KL(q ‖ p) 低于 0.05 奈特。'),
    hint: T('A full-covariance Gaussian can be exactly this target. Its covariance is ρσ₁σ₂.', '全协方差高斯分布可以恰好等于这个目标。它的协方差为 ρσ₁σ₂。'),
    explain: T('With mean (0, 0), variances 2.25 and 0.64 and covariance 0.8 · 1.5 · 0.8 = 0.96, q = p and KL = 0 (up to the grid\'s quadrature). Adam or the exact fit finds it; a mean-field q cannot go below 0.511 nats here.',
      '当均值为 (0, 0)、方差为 2.25 和 0.64、协方差为 0.8 · 1.5 · 0.8 = 0.96 时，q = p，KL = 0（在网格求积的精度内）。Adam 或精确拟合都能找到它；这里平均场 q 无法低于 0.511 奈特。'),
  },

  // 4.1 The autoencoder (its widget is the VAE's, in autoencoder mode)
  {
    id: 'ae-kl', section: 'autoencoder', widget: 'vae', kind: 'predict',
    choices: [
      { text: T('0: an autoencoder\'s loss has no KL term', '0：自编码器的损失没有 KL 项') },
      { text: T('the same as a VAE\'s', '与 VAE 的相同'), why: T('An autoencoder maps x to one code z = f(x) and is trained on reconstruction alone: there is no q(z | x) and no prior to compare it with.', '自编码器把 x 映射为一个编码 z = f(x)，只用重构进行训练：没有 q(z | x)，也没有可与之比较的先验。') },
      { text: T('negative', '负数'), why: T('A KL divergence is never negative (Gibbs\' inequality); in an autoencoder the term is simply absent.', 'KL 散度永远不会是负数（Gibbs 不等式）；自编码器中这一项根本不存在。') },
    ],
    answer: (lab) => withToyTrainer(lab, 'autoencoder', (tr) => bySign(tr.trainEpoch().kl, [1, 2, 0], 0)),
    question: T('Switch the VAE widget to "Plain autoencoder" and train it. What is the KL term of its training loss per image?', '把 VAE 小部件切换为“普通自编码器”并训练。它每张图像的训练损失中的 KL 项是多少？'),
    hint: T('Which distributions would a KL term compare here?', '这里 KL 项要比较的是哪两个分布？'),
    explain: T('0 nats: the autoencoder minimises the reconstruction error only. Its codes need not follow any distribution, so decoding a random z need not give a digit; the VAE\'s KL term to N(0, I) is what makes sampling from the prior work.',
      '0 奈特：自编码器只最小化重构误差。它的编码不必服从任何分布，所以解码一个随机 z 不一定得到数字；正是 VAE 到 N(0, I) 的 KL 项使从先验采样成为可能。'),
  },
  {
    id: 'ae-bce', section: 'autoencoder', widget: 'vae', kind: 'numeric', unit: 'nats', tol: 0.005,
    answer: (lab) => aeBceErrors(lab).bce,
    wrong: [
      { value: (lab) => aeBceErrors(lab).squaredError, why: T('That is the squared error Σ (xᵢ − x̂ᵢ)². A Bernoulli decoder\'s loss is the cross-entropy −Σ [xᵢ ln x̂ᵢ + (1 − xᵢ) ln(1 − x̂ᵢ)].', '这是平方误差 Σ (xᵢ − x̂ᵢ)²。伯努利解码器的损失是交叉熵 −Σ [xᵢ ln x̂ᵢ + (1 − xᵢ) ln(1 − x̂ᵢ)]。') },
      { value: (lab) => aeBceErrors(lab).bce / Math.LN2, why: T('That is in bits. The loss here is in nats (natural logarithms).', '这是以比特为单位的。这里的损失以奈特为单位（自然对数）。') },
    ],
    question: T('A 4-pixel binary image x = (1, 0, 1, 1) is decoded into Bernoulli probabilities x̂ = (0.9, 0.2, 0.7, 0.6). What is the reconstruction loss −log p(x | z), in nats?',
      '一张 4 像素的二值图像 x = (1, 0, 1, 1) 被解码为伯努利概率 x̂ = (0.9, 0.2, 0.7, 0.6)。重构损失 −log p(x | z) 是多少奈特？'),
    hint: T('Pixels are independent given z: add −ln x̂ᵢ for pixels that are on and −ln(1 − x̂ᵢ) for pixels that are off.', '给定 z 时像素相互独立：亮的像素加 −ln x̂ᵢ，暗的像素加 −ln(1 − x̂ᵢ)。'),
    explain: T('−(ln 0.9 + ln 0.8 + ln 0.7 + ln 0.6) ≈ 0.105 + 0.223 + 0.357 + 0.511 = 1.196 nats. The off pixel (x₂ = 0) contributes −ln(1 − 0.2) = −ln 0.8.',
      '−(ln 0.9 + ln 0.8 + ln 0.7 + ln 0.6) ≈ 0.105 + 0.223 + 0.357 + 0.511 = 1.196 奈特。暗像素（x₂ = 0）贡献 −ln(1 − 0.2) = −ln 0.8。'),
  },

  // 4.2 The VAE
  {
    id: 'vae-kl-prior', section: 'vae', widget: 'vae', kind: 'numeric', unit: 'nats', tol: 0.005,
    answer: (lab) => lab.gaussianKlToStdNormal([1, -1], [Math.log(0.5), Math.log(0.5)]),
    wrong: [{ value: (lab) => lab.gaussianKlToStdNormal([1], [Math.log(0.5)]), why: T('That is one dimension\'s KL. For a diagonal Gaussian the KL to N(0, I) is a sum over the latent dimensions.', '这是单个维度的 KL。对角高斯分布到 N(0, I) 的 KL 是各潜在维度之和。') }],
    question: T('The encoder gives q(z | x) = N(μ, diag σ²) with μ = (1, −1) and σ² = (0.5, 0.5) in a 2-D latent space. What is KL(q(z | x) ‖ N(0, I)), in nats?',
      '编码器在 2 维潜在空间中给出 q(z | x) = N(μ, diag σ²)，其中 μ = (1, −1)，σ² = (0.5, 0.5)。KL(q(z | x) ‖ N(0, I)) 是多少奈特？'),
    hint: T('Each dimension gives ½ (μ² + σ² − 1 − ln σ²).', '每个维度贡献 ½ (μ² + σ² − 1 − ln σ²)。'),
    explain: T('Each dimension: ½ (1 + 0.5 − 1 − ln 0.5) = ½ (0.5 + 0.693) ≈ 0.597 nats; the two sum to ≈ 1.193 nats. This is the KL term the VAE\'s loss adds for this image (its rate, in §4.3).',
      '每个维度：½ (1 + 0.5 − 1 − ln 0.5) = ½ (0.5 + 0.693) ≈ 0.597 奈特；两个维度之和 ≈ 1.193 奈特。这就是 VAE 的损失为这张图像加上的 KL 项（即 §4.3 中的码率）。'),
  },
  {
    id: 'vae-bounds', section: 'vae', widget: 'vae', kind: 'predict',
    choices: [
      { text: T('ELBO ≤ L₁₀₀₀ ≤ log p(x)', 'ELBO ≤ L₁₀₀₀ ≤ log p(x)') },
      { text: T('L₁₀₀₀ ≤ ELBO ≤ log p(x)', 'L₁₀₀₀ ≤ ELBO ≤ log p(x)'), why: T('Averaging K importance weights inside the log can only tighten the bound: L_K ≥ L₁ = ELBO.', '在对数内对 K 个重要性权重取平均只会让下界更紧：L_K ≥ L₁ = ELBO。') },
      { text: T('ELBO ≤ log p(x) ≤ L₁₀₀₀', 'ELBO ≤ log p(x) ≤ L₁₀₀₀'), why: T('Every L_K is a lower bound on log p(x): the mean of K weights is an unbiased estimate of p(x), and Jensen\'s inequality puts the expected log below log p(x).', '每个 L_K 都是 log p(x) 的下界：K 个权重的平均是 p(x) 的无偏估计，Jensen 不等式使对数的期望低于 log p(x)。') },
    ],
    answer: (lab) => {
      // A small VAE on 2-D toy data: the IWAE estimate against its ELBO; the exact 1-D model: L_K against log p(x).
      const above = withToyTrainer(lab, 'vae', (tr) => { const r = tr.iwae(toyData(lab).testX.slice(0, 8), 1000, 1); return r.iwae - r.elbo; });
      const below = withPosterior(lab, 'gaussian', 1, { sigmaX: 1 }, (post) => {
        const { estimate, stdError } = post.iwaeBound(0, 1, 1000, 20000, 1);
        return post.logEvidence() - estimate + 3 * stdError;
      });
      return above < 0 ? 1 : below < 0 ? 2 : 0;
    },
    question: T('For a trained VAE and one image x, how are the ELBO, the IWAE bound L₁₀₀₀ (K = 1000) and log p(x) ordered?', '对一个训练好的 VAE 和一张图像 x，ELBO、IWAE 界 L₁₀₀₀（K = 1000）与 log p(x) 的大小顺序如何？'),
    hint: T('L₁ is the ELBO, and every L_K is a lower bound.', 'L₁ 就是 ELBO，而每个 L_K 都是下界。'),
    explain: T('ELBO = L₁ ≤ L_K ≤ L_{K+1} ≤ log p(x) (Burda, Grosse & Salakhutdinov 2016). The widget\'s held-out readouts show the ELBO and the IWAE estimate; their difference is, up to Monte Carlo error, a lower bound on the gap log p(x) − ELBO.',
      'ELBO = L₁ ≤ L_K ≤ L_{K+1} ≤ log p(x)（Burda、Grosse 与 Salakhutdinov 2016）。小部件的留出集读数显示 ELBO 与 IWAE 估计；在蒙特卡罗误差范围内，两者之差是差距 log p(x) − ELBO 的一个下界。'),
  },

  // 4.3 Rate and distortion
  {
    id: 'rate-surgery', section: 'rate', widget: 'rate-distortion', kind: 'predict',
    choices: [
      { text: T('R ≥ I_q(x; z), always', '总有 R ≥ I_q(x; z)') },
      { text: T('R ≤ I_q(x; z)', 'R ≤ I_q(x; z)'), why: T('ELBO surgery: R = I_q(x; z) + KL(q(z) ‖ p(z)), where q(z) is the average of the encoder\'s posteriors. The second term is ≥ 0, so the rate bounds the information from above.', 'ELBO 手术：R = I_q(x; z) + KL(q(z) ‖ p(z))，其中 q(z) 是编码器各后验的平均。第二项 ≥ 0，所以码率是信息量的上界。') },
      { text: T('R = I_q(x; z) for every model', '对每个模型都有 R = I_q(x; z)'), why: T('Equality needs the aggregate posterior q(z) to equal the prior p(z) exactly; a trained VAE generally leaves a mismatch, the marginal KL.', '等号要求聚合后验 q(z) 恰好等于先验 p(z)；训练好的 VAE 一般会留下差异，即边缘 KL。') },
    ],
    answer: (lab) => withToyTrainer(lab, 'vae', (tr) => {
      const r = tr.rateDistortion(toyData(lab).testX.slice(0, 80), 8, 1);
      return bySign(r.meanRate - r.mutualInformation, [0, 1, 2], 1e-12);
    }),
    question: T('Averaged over the images, how does the rate R = E_x[KL(q(z | x) ‖ p(z))] compare with the mutual information I_q(x; z) between an image and its code?',
      '在所有图像上平均，码率 R = E_x[KL(q(z | x) ‖ p(z))] 与图像和其编码之间的互信息 I_q(x; z) 相比如何？'),
    hint: T('Split the average KL into a part about x and a part about the codes\' overall distribution q(z).', '把平均 KL 拆成关于 x 的部分和关于编码整体分布 q(z) 的部分。'),
    explain: T('R = I_q(x; z) + KL(q(z) ‖ p(z)) (Hoffman & Johnson 2016), so R ≥ I_q(x; z), with equality only when the codes\' aggregate q(z) is exactly the prior. The rate is what the KL term charges; I_q is what the codes actually carry about x.',
      'R = I_q(x; z) + KL(q(z) ‖ p(z))（Hoffman 与 Johnson 2016），所以 R ≥ I_q(x; z)，只有编码的聚合分布 q(z) 恰好是先验时才取等号。码率是 KL 项收取的代价；I_q 是编码实际携带的关于 x 的信息。'),
  },
  {
    id: 'rate-beta-elbo', section: 'rate', widget: 'rate-distortion', kind: 'numeric', unit: 'nats', tol: 0.01,
    answer: () => -(52.3 + 6.1),
    wrong: [
      { value: () => -(52.3 + 4 * 6.1), why: T('That is minus the β-VAE\'s training loss D + βR. The ELBO weighs the rate by 1 whatever β the model was trained with: ELBO = −(D + R).', '这是 β-VAE 训练损失 D + βR 的相反数。无论模型用哪个 β 训练，ELBO 都以权重 1 计入码率：ELBO = −(D + R)。') },
      { value: () => 52.3 + 6.1, why: T('Mind the sign: the ELBO is a lower bound on log p(x), here −(D + R).', '注意符号：ELBO 是 log p(x) 的下界，这里是 −(D + R)。') },
    ],
    question: T('A β-VAE trained with β = 4 reaches distortion D = 52.3 nats and rate R = 6.1 nats per image. What is its ELBO per image, in nats?',
      '一个以 β = 4 训练的 β-VAE 达到每张图像失真 D = 52.3 奈特、码率 R = 6.1 奈特。它每张图像的 ELBO 是多少奈特？'),
    hint: T('ELBO = E_q[log p(x | z)] − KL(q(z | x) ‖ p(z)) = −D − R; β is not in it.', 'ELBO = E_q[log p(x | z)] − KL(q(z | x) ‖ p(z)) = −D − R；其中没有 β。'),
    explain: T('ELBO = −(52.3 + 6.1) = −58.4 nats. β changes which model training finds (a different point on the rate–distortion curve), not how its ELBO is computed; for β ≠ 1 the loss D + βR = 76.7 nats is not −ELBO.',
      'ELBO = −(52.3 + 6.1) = −58.4 奈特。β 改变的是训练找到哪个模型（率失真曲线上的另一点），而不是它的 ELBO 如何计算；当 β ≠ 1 时，损失 D + βR = 76.7 奈特并不等于 −ELBO。'),
  },
];

/** id → exercise. */
export const BY_ID = new Map(EXERCISES.map((ex) => [ex.id, ex]));
