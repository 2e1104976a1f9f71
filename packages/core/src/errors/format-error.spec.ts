import { HubError } from '@rlgf/contracts';
import { formatError } from './format-error';

describe('formatError', () => {
  it('prints an RLGF error as one line with its hint', () => {
    const error = new HubError({ message: 'file not found:\n  x.parquet', hint: 'check the path' });
    expect(formatError(error)).toBe('file not found: x.parquet (check the path)');
  });

  it('marks other errors as unexpected and points to --verbose', () => {
    expect(formatError(new TypeError('boom'))).toBe('unexpected error: boom (run with --verbose for the stack trace)');
    expect(formatError('text')).toBe('unexpected error: text (run with --verbose for the stack trace)');
  });

  it('adds stacks and causes under verbose', () => {
    const error = new HubError({ message: 'download failed', cause: new Error('ECONNRESET') });
    const text = formatError(error, { verbose: true });
    expect(text.split('\n')[0]).toBe('download failed');
    expect(text).toContain('caused by:');
    expect(text).toContain('ECONNRESET');
  });

  it('names an exhausted wasm heap and what to do, instead of a bare trap', () => {
    const trap = new Error('memory access out of bounds');
    expect(formatError(trap)).toMatch(/^the WebAssembly heap is exhausted \(the wasm backend keeps every tensor in one memory of at most 4 GiB\): train a LoRA adapter/);
    expect(formatError(new Error('XNN status for xnn_create_fully_connected_nc_f32 is not successful. Got status 6. Use -c dbg to see more details.'))).toMatch(/^the WebAssembly heap is exhausted/);
    expect(formatError(new Error('XNN status for xnn_create_fully_connected_nc_f32 is not successful. Got status 2.'))).toMatch(/^unexpected error: XNN status/);
  });
});
