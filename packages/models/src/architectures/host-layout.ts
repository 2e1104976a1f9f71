import type { HostTensor } from '../weights/weight-map';

/** Transpose of a row-major [rows, cols] matrix. Exact (a copy), so round trips are bit-exact. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const result = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    for (let c = 0; c < cols; c++) result[c * rows + r] = data[from + c];
  }
  return result;
}

/** A PyTorch `nn.Linear` weight [out, in] as the [in, out] matrix this package multiplies by. */
export function linearToInOut(tensor: HostTensor): HostTensor {
  const [out, inner] = tensor.shape;
  return { shape: [inner, out], data: transpose2d(tensor.data, out, inner) };
}

/** The inverse of {@link linearToInOut}. */
export function inOutToLinear(tensor: HostTensor): HostTensor {
  const [inner, out] = tensor.shape;
  return { shape: [out, inner], data: transpose2d(tensor.data, inner, out) };
}

/** Concatenates [in, out_i] matrices along their columns (fusing projections). */
export function concatColumns(parts: readonly HostTensor[]): HostTensor {
  const rows = parts[0].shape[0];
  const widths = parts.map((part) => part.shape[1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const data = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let offset = r * total;
    parts.forEach((part, index) => {
      data.set(part.data.subarray(r * widths[index], (r + 1) * widths[index]), offset);
      offset += widths[index];
    });
  }
  return { shape: [rows, total], data };
}

/** Splits an [in, Σ out_i] matrix into its [in, out_i] column blocks. */
export function splitColumns(tensor: HostTensor, widths: readonly number[]): HostTensor[] {
  const [rows, total] = tensor.shape;
  let first = 0;
  return widths.map((width) => {
    const data = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) data.set(tensor.data.subarray(r * total + first, r * total + first + width), r * width);
    first += width;
    return { shape: [rows, width], data };
  });
}
