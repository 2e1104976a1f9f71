import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from './float-conversions';

describe('float16 conversions', () => {
  it('encode values whose half-precision bits are known', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff], // largest finite half
      [65520, 0x7c00], // rounds up to infinity
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // halfway to the smallest subnormal: ties to even (0)
      [3 * 2 ** -25, 0x0002], // halfway between subnormals 1 and 2: ties to even (2)
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and the next half: ties to even (1)
      [1 + 3 * 2 ** -11, 0x3c02],
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
    ];
    for (const [value, bits] of cases) expect([value, floatToHalf(value)]).toEqual([value, bits]);
  });

  it('decode every finite half and encode it back to the same bits', () => {
    for (let bits = 0; bits < 0x10000; bits += 1) {
      if ((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0) continue;
      const value = halfToFloat(bits);
      if (floatToHalf(Math.fround(value)) !== bits) throw new Error(`bits ${bits.toString(16)} -> ${value} -> ${floatToHalf(value).toString(16)}`);
    }
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
  });

  it('keep quiet NaN payloads through a round trip (the FPU quiets signalling ones)', () => {
    for (const bits of [0x7e00, 0x7e01, 0xfe55, 0x7fff]) {
      const value = halfToFloat(bits);
      expect(Number.isNaN(value)).toBe(true);
      const f32 = new Float32Array([value]);
      expect(floatToHalf(f32[0])).toBe(bits);
    }
  });
});

describe('bfloat16 conversions', () => {
  it('round to nearest even', () => {
    expect(floatToBfloat16(1)).toBe(0x3f80);
    expect(floatToBfloat16(0.1)).toBe(0x3dcd); // 0x3dcccccd rounds up
    expect(floatToBfloat16(1 + 2 ** -8)).toBe(0x3f80); // tie, even stays
    expect(floatToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie, odd rounds up
    expect(floatToBfloat16(-Infinity)).toBe(0xff80);
    expect(floatToBfloat16(3.4028234663852886e38)).toBe(0x7f80); // max float32 rounds to infinity
  });

  it('decode every bfloat16 and encode it back to the same bits, NaNs included', () => {
    for (let bits = 0; bits < 0x10000; bits += 1) {
      const f32 = new Float32Array([bfloat16ToFloat(bits)]);
      const back = floatToBfloat16(f32[0]);
      const isNaN = (bits & 0x7f80) === 0x7f80 && (bits & 0x7f) !== 0;
      if (isNaN ? (back & 0x7f80) !== 0x7f80 || (back & 0x7f) === 0 : back !== bits) {
        throw new Error(`bits ${bits.toString(16)} -> ${f32[0]} -> ${back.toString(16)}`);
      }
    }
    expect(bfloat16ToFloat(0x3f80)).toBe(1);
  });
});
