// Conversions between float32 and the 16-bit float formats safetensors stores. Widening is exact;
// narrowing rounds to nearest, ties to even, as PyTorch's `.half()` and `.bfloat16()` do. Quiet
// NaN payloads survive a round trip, so a 16-bit file read and written again is bit-identical
// (signalling NaNs come back quiet: the float32 hardware conversion quiets them).

const scratch = new DataView(new ArrayBuffer(4));

function floatBits(value: number): number {
  scratch.setFloat32(0, value, true);
  return scratch.getUint32(0, true);
}

function bitsFloat(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}

/** IEEE 754 half-precision bits to float32. */
export function halfToFloat(half: number): number {
  const sign = (half & 0x8000) << 16;
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0x1f) return bitsFloat(sign | 0x7f800000 | (mantissa << 13));
  if (exponent !== 0) return bitsFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  if (mantissa === 0) return bitsFloat(sign);
  // Subnormal half: value = mantissa * 2^-24, exactly representable in float32.
  return (sign ? -1 : 1) * mantissa * 2 ** -24;
}

/** float32 to half-precision bits, round to nearest even; overflow gives infinity. */
export function floatToHalf(value: number): number {
  const bits = floatBits(value);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) {
    if (mantissa === 0) return sign | 0x7c00;
    const payload = mantissa >>> 13;
    return sign | 0x7c00 | (payload === 0 ? 0x200 : payload);
  }
  const unbiased = exponent - 127;
  if (unbiased > 15) return sign | 0x7c00;
  if (unbiased >= -14) {
    const rounded = roundShift(mantissa, 13);
    // A carry out of the mantissa bumps the exponent, possibly to infinity: both are correct.
    return sign | (((unbiased + 15) << 10) + rounded);
  }
  if (unbiased < -25) return sign;
  // Subnormal half: shift the full significand (with its implicit 1) into 10 bits.
  return sign | roundShift(mantissa | 0x800000, -1 - unbiased);
}

/** bfloat16 bits to float32 (bfloat16 is the top half of a float32). */
export function bfloat16ToFloat(value: number): number {
  return bitsFloat(value << 16);
}

/** float32 to bfloat16 bits, round to nearest even; NaN stays NaN with its top payload bits. */
export function floatToBfloat16(value: number): number {
  const bits = floatBits(value);
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) {
    const top = bits >>> 16;
    return (top & 0x7f) === 0 ? top | 0x40 : top;
  }
  return roundShift(bits, 16) & 0xffff;
}

/** `value >> shift`, rounded to nearest with ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = Math.floor(value / 2 ** shift);
  const rest = value - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && kept % 2 === 1) ? kept + 1 : kept;
}
