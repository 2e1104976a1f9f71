import { jsonDepth } from './json-depth';

describe('jsonDepth', () => {
  it('counts nested arrays and objects', () => {
    expect(jsonDepth('1', 8)).toBe(0);
    expect(jsonDepth('{}', 8)).toBe(1);
    expect(jsonDepth('{"a": [1, {"b": [[]]}], "c": {}}', 8)).toBe(5);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"prompt": "[[[{{{", "stop": ["\\"]]]"]}', 8)).toBe(2);
    expect(jsonDepth('["\\\\", [1]]', 8)).toBe(2);
  });

  it('stops counting once past the limit, whatever the length', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonDepth(deep, 16)).toBe(17);
    expect(jsonDepth(`{"temperature": ${deep}}`, 16)).toBe(17);
  });
});
