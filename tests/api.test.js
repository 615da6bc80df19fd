// The JS API under Node: results against closed forms, and the error for every kind of bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { close, throwsError } from './lib/approx.js';


describe('information(prob, base?)', () => {
  it('is −log p, in nats by default and bits with base 2', () => {
    close(lab.information(Math.exp(-1)), 1);
    assert.equal(lab.information(0.5, 2), 1);
    assert.equal(lab.information(1 / 1024, 2), 10);
    close(lab.information(0.01, 10), 2);
  });
  it('gives I(1) = +0 and adds over independent events', () => {
    assert.ok(Object.is(lab.information(1, 2), 0));
    close(lab.information(0.3 * 0.6), lab.information(0.3) + lab.information(0.6));
  });
  it('rejects probabilities outside (0, 1] and bad bases', () => {
    throwsError(() => lab.information(0, 2), /prob is 0: it must be a probability in \(0, 1\].*infinite information/);
    throwsError(() => lab.information(1.5), /prob is 1\.5/);
    throwsError(() => lab.information(-0.2), /prob is -0\.2/);
    throwsError(() => lab.information(NaN), /prob is NaN/);
    throwsError(() => lab.information(0.5, 1), /base is 1: a logarithm base must be a finite number > 0 and ≠ 1/);
    throwsError(() => lab.information(0.5, -2), /base is -2/);
    throwsError(() => lab.information(0.5, Infinity), /base is inf/);
  });
});

describe('entropy(p, base?)', () => {
  it('matches closed forms', () => {
    close(lab.entropy([1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6], 2), Math.log2(6));
    close(lab.entropy(new Float64Array(8).fill(1 / 8)), Math.log(8));
    assert.equal(lab.entropy([0.5, 0.25, 0.125, 0.125], 2), 1.75);
    // 0·log 0 = 0, and a one-hot distribution has exactly +0 entropy.
    assert.equal(lab.entropy([0, 0.5, 0, 0.5], 2), 1);
    assert.ok(Object.is(lab.entropy([0, 1, 0], 2), 0));
  });
  it('accepts arrays, Float64Array and Float32Array of probabilities', () => {
    close(lab.entropy(new Float32Array([0.5, 0.5]), 2), 1);
  });
  it('explains what is wrong with a bad distribution', () => {
    throwsError(() => lab.entropy([]), /p is empty/);
    throwsError(() => lab.entropy([0.5, 0.4]), /p sums to 0\.9, not 1: divide every entry by the sum/);
    throwsError(() => lab.entropy([1.5, -0.5]), /p\[1\] is -0\.5: probabilities cannot be negative/);
    throwsError(() => lab.entropy([0.5, NaN]), /p\[1\] is NaN: every probability must be a finite number/);
    throwsError(() => lab.entropy([0.5, '0.5']), /p\[1\] must be a number \(got string\)/);
    throwsError(() => lab.entropy('0.5,0.5'), /p must be an array of numbers or a Float64Array \(got string\)/);
    throwsError(() => lab.entropy(null), /got null/);
    throwsError(() => lab.entropy(undefined), /got undefined/);
    throwsError(() => lab.entropy({ length: 2 }), /got object/);
    throwsError(() => lab.entropy([1], 0), /base is 0/);
  });
  it('keeps working after many rejected calls (no panic poisoned the instance)', () => {
    for (let i = 0; i < 1000; i += 1) assert.throws(() => lab.entropy([i, -i]));
    assert.equal(lab.entropy([0.5, 0.5], 2), 1);
  });
});

describe('entropyTerms and setProbability', () => {
  it('terms sum to the entropy', () => {
    const p = [0.1, 0.2, 0.3, 0.4];
    const terms = lab.entropyTerms(p, 2);
    assert.ok(terms instanceof Float64Array);
    close(terms.reduce((a, b) => a + b, 0), lab.entropy(p, 2));
  });
  it('setProbability rescales the others to keep the sum 1', () => {
    const p = Array.from(lab.setProbability([0.25, 0.25, 0.5], 0, 0.5));
    assert.equal(p[0], 0.5);
    close(p[1], 1 / 6);
    close(p[2], 1 / 3);
    throwsError(() => lab.setProbability([0.5, 0.5], 2, 0.1), /index is 2: it must be a whole number from 0 to 1/);
    throwsError(() => lab.setProbability([0.5, 0.5], 0, NaN), /value is NaN/);
  });
});

describe('huffmanCode(p)', () => {
  it('gives an optimal prefix code with H ≤ L < H + 1', () => {
    const code = lab.huffmanCode([0.5, 0.25, 0.125, 0.125]);
    assert.deepEqual(code.codewords, ['0', '10', '110', '111']);
    assert.deepEqual(code.lengths, [1, 2, 3, 3]);
    assert.equal(code.averageLength, 1.75);
    assert.equal(code.entropy, 1.75);
    assert.equal(code.kraftSum, 1);
    const die = lab.huffmanCode(new Float64Array(6).fill(1 / 6));
    close(die.averageLength, 8 / 3);
    assert.ok(die.entropy <= die.averageLength && die.averageLength < die.entropy + 1);
  });
  it('gives impossible outcomes no code word and a certain one the empty word', () => {
    assert.deepEqual(lab.huffmanCode([0, 1, 0]).codewords, [null, '', null]);
  });
  it('rejects bad input with a specific message', () => {
    throwsError(() => lab.huffmanCode([0.2, 0.2]), /p sums to 0\.4/);
    throwsError(() => lab.huffmanCode(new Float64Array(2000).fill(1 / 2000)), /p has 2000 outcomes: at most 1024/);
  });
});
