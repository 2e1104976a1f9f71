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
});
