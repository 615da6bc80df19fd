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
/** How far the Huffman code of `p` is above the entropy: L − H, in bits per symbol. */
const huffmanGap = (lab, p) => { const c = lab.huffmanCode(p); return c.averageLength - c.entropy; };

export const EXERCISES = [
  // 1.1 Information
  {
    id: 'info-eighth', section: 'information', widget: 'information', kind: 'numeric', unit: 'bits', tol: 0.01,
    start: 'p1:0.125;p2:0.5;unit:bits',
    answer: (lab) => lab.information(0.125, 2),
    wrong: [{ value: (lab) => lab.information(0.125), why: T('That is the information in nats (natural logarithm). Bits use log base 2: −log₂ p.', '这是以奈特（自然对数）为单位的信息量。比特用以 2 为底的对数：−log₂ p。') }],
    question: T('An event has probability p = 1/8. How much information (surprisal) I(p) = −log p does observing it carry, in bits?',
      '某事件的概率为 p = 1/8。观察到它所带来的信息量（惊奇度）I(p) = −log p 是多少比特？'),
    hint: T('1/8 = 2⁻³. In bits, I(p) = −log₂ p.', '1/8 = 2⁻³。以比特计，I(p) = −log₂ p。'),
    explain: T('I(1/8) = −log₂(2⁻³) = 3 bits: as much as three fair coin flips, each carrying 1 bit. In nats it would be ln 8 ≈ 2.079.',
      'I(1/8) = −log₂(2⁻³) = 3 比特：相当于抛三次均匀硬币，每次 1 比特。以奈特计则为 ln 8 ≈ 2.079。'),
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
      { text: T('they are equal', '两者相等') },
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
    explain: T('For a fixed p₁ the entropy is largest when the other three share 1 − p₁ equally. With p₁ = 0.4: H = 0.4·log₂(1/0.4) + 0.6·log₂(1/0.2) ≈ 0.529 + 1.393 = 1.922 bits, just above 1.9; p₁ much above 0.4 cannot reach 1.9.',
      '固定 p₁ 时，其余三个结果平分 1 − p₁ 时熵最大。p₁ = 0.4 时：H = 0.4·log₂(1/0.4) + 0.6·log₂(1/0.2) ≈ 0.529 + 1.393 = 1.922 比特，略高于 1.9；p₁ 明显大于 0.4 时就达不到 1.9。'),
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
      { text: T('KL(p ‖ q) is larger', 'KL(p ‖ q) 更大') },
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
    explain: T('KL(p ‖ q) contains 0.1 · log(0.1/0) = +∞: q rules out an outcome p allows, so coding p with q\'s code fails. KL(q ‖ p) has q₄ = 0 in front, contributing 0, and is finite (≈ 0.036 bits).',
      'KL(p ‖ q) 含有 0.1 · log(0.1/0) = +∞：q 排除了 p 允许的结果，用 q 的编码来编 p 会失败。KL(q ‖ p) 中 q₄ = 0 在前面，贡献为 0，结果有限（≈ 0.036 比特）。'),
  },

  // 2.2 Mode covering and mode seeking
  {
    id: 'fit-reverse', section: 'fit', widget: 'kl-fit', kind: 'predict',
    start: 'w:0.5~0.5;m:-3~3;s:0.5~0.5;mu:0.5;sigma:1.5',
    choices: [
      { text: T('on the mode at +3, with σ near 0.5', '落在 +3 处的峰上，σ 约为 0.5') },
      { text: T('centred near 0, wide enough (σ ≈ 3) to cover both modes', '以 0 附近为中心，宽到（σ ≈ 3）能覆盖两个峰'), why: T('That is the forward-KL fit, KL(p ‖ q), which must put mass wherever p has some (mass covering). Reverse KL, KL(q ‖ p), pays for q\'s mass where p is small, so it avoids the gap between the modes.', '那是前向 KL 拟合 KL(p ‖ q)：p 有质量的地方 q 都必须有（覆盖质量）。反向 KL，即 KL(q ‖ p)，为 q 放在 p 很小处的质量付出代价，所以会避开两峰之间的空隙。') },
      { text: T('at 0, narrow, between the modes', '在 0 处，很窄，位于两峰之间'), why: T('Between the modes p is nearly 0, so q there makes log(q/p) huge: that is the worst place for reverse KL.', '两峰之间 p 几乎为 0，q 放在那里会使 log(q/p) 很大：这是反向 KL 最糟的位置。') },
    ],
    answer: (lab) => {
      const fit = new lab.MixtureFit([0.5, 0.5], [-3, 3], [0.5, 0.5]);
      try {
        let s = fit.descentStart('reverse', 0.5, Math.log(1.5));
        for (let i = 0; i < 400; i += 1) s = fit.descentStep('reverse', s);
        const [mu, logSigma] = s;
        if (Math.abs(mu - 3) < 0.1 && Math.abs(Math.exp(logSigma) - 0.5) < 0.1) return 0;
        return Math.abs(mu) < 0.5 && Math.exp(logSigma) > 2 ? 1 : 2;
      } finally {
        fit.free();
      }
    },
    question: T('p is an equal mixture of N(−3, 0.5²) and N(3, 0.5²). A Gaussian q starts at μ = 0.5, σ = 1.5 and descends the reverse KL, KL(q ‖ p). Where does it end?',
      'p 是 N(−3, 0.5²) 与 N(3, 0.5²) 的等权混合。高斯分布 q 从 μ = 0.5、σ = 1.5 出发，沿反向 KL，即 KL(q ‖ p) 下降。它最终停在哪里？'),
    hint: T('KL(q ‖ p) = E_q[log q − log p]: it is an average under q, and log p is very negative between the modes.', 'KL(q ‖ p) = E_q[log q − log p]：这是在 q 下的平均，而两峰之间 log p 非常负。'),
    explain: T('Reverse KL is mode seeking: from μ = 0.5 (nearer +3) q slides onto the right mode and ends at μ ≈ 3, σ ≈ 0.5, with KL ≈ ln 2 ≈ 0.693 nats (it misses half of p\'s mass). Started left of 0 it would pick the other mode: the reverse KL has two local optima here. The forward fit is μ = 0, σ = √9.25 ≈ 3.04.',
      '反向 KL 趋向单峰（mode seeking）：从 μ = 0.5（离 +3 更近）出发，q 滑到右峰，停在 μ ≈ 3、σ ≈ 0.5，KL ≈ ln 2 ≈ 0.693 奈特（漏掉了 p 一半的质量）。若从 0 左侧出发则会选另一个峰：这里反向 KL 有两个局部最优。前向拟合为 μ = 0、σ = √9.25 ≈ 3.04。'),
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
    explain: T('Mean 0; variance 0.5² + 3² = 9.25, so σ = √9.25 ≈ 3.041 (no unit: the same unit as z). q covers both modes and puts much of its mass in the empty gap between them.',
      '均值为 0；方差 0.5² + 3² = 9.25，所以 σ = √9.25 ≈ 3.041（与 z 同单位）。q 覆盖两个峰，并把大量质量放在两峰之间的空白处。'),
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
];

/** id → exercise. */
export const BY_ID = new Map(EXERCISES.map((ex) => [ex.id, ex]));
