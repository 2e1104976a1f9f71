import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageResolvers, resolveInstalled } from './resolve-installed';

describe('resolveInstalled', () => {
  it('finds an installed package file', () => {
    const found = resolveInstalled('tsyringe/package.json');
    expect(found).toMatch(/tsyringe[/\\]package\.json$/);
    expect(existsSync(found as string)).toBe(true);
  });

  it('says undefined for a package that is not installed', () => {
    expect(resolveInstalled('rlgf-no-such-package/package.json')).toBeUndefined();
  });

  it('still finds packages when the working directory has none', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'rlgf-resolve-'));
    const before = process.cwd();
    try {
      process.chdir(elsewhere);
      expect(resolveInstalled('tsyringe/package.json')).toBeDefined();
    } finally {
      process.chdir(before);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('skips the running script when there is none, as in a worker started from source text', () => {
    const script = process.argv[1];
    try {
      process.argv[1] = '[worker eval]';
      expect(resolveInstalled('tsyringe/package.json')).toBeDefined();
    } finally {
      process.argv[1] = script;
    }
  });

  it('looks in the working directory last', () => {
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'rlgf-resolve-')));
    const before = process.cwd();
    try {
      writeFileSync(join(elsewhere, 'marker.js'), '');
      process.chdir(elsewhere);
      const resolvers = packageResolvers();
      expect(resolvers[resolvers.length - 1].resolve('./marker.js')).toBe(join(elsewhere, 'marker.js'));
    } finally {
      process.chdir(before);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
