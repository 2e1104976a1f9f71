import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hubSettingsFromEnv } from './hub-settings';

describe('hubSettingsFromEnv', () => {
  const home = mkdtempSync(join(tmpdir(), 'rlgf-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('uses the huggingface_hub defaults under the home folder', () => {
    expect(hubSettingsFromEnv({ HOME: home })).toEqual({
      mirrorDir: undefined,
      endpoint: 'https://huggingface.co',
      token: undefined,
      cacheDir: join(home, '.cache/huggingface/hub'),
      offline: false,
    });
  });

  it('reads every variable, HF_HUB_CACHE over HF_HOME, and trims the endpoint', () => {
    const settings = hubSettingsFromEnv({
      HOME: home,
      HF_HOME: '/data/hf',
      HF_HUB_CACHE: '/fast/hub',
      HF_ENDPOINT: 'http://127.0.0.1:8080/',
      HF_TOKEN: 'hf_abc',
      HF_HUB_OFFLINE: 'YES',
      RLGF_HUB_MIRROR: '../shared/hub',
    });
    expect(settings).toEqual({
      mirrorDir: resolve('../shared/hub'),
      endpoint: 'http://127.0.0.1:8080',
      token: 'hf_abc',
      cacheDir: '/fast/hub',
      offline: true,
    });
    expect(hubSettingsFromEnv({ HOME: home, HF_HOME: '/data/hf' }).cacheDir).toBe('/data/hf/hub');
    expect(hubSettingsFromEnv({ HOME: home, XDG_CACHE_HOME: '/xdg' }).cacheDir).toBe('/xdg/huggingface/hub');
  });

  it('reads HF_HUB_OFFLINE as huggingface_hub does', () => {
    for (const value of ['1', 'true', 'ON', 'yes']) expect(hubSettingsFromEnv({ HOME: home, HF_HUB_OFFLINE: value }).offline).toBe(true);
    for (const value of ['0', 'false', '', 'no']) expect(hubSettingsFromEnv({ HOME: home, HF_HUB_OFFLINE: value }).offline).toBe(false);
  });

  it('takes the token from HF_TOKEN, then HUGGING_FACE_HUB_TOKEN, then $HF_HOME/token', () => {
    const hfHome = join(home, 'hf');
    mkdirSync(hfHome, { recursive: true });
    writeFileSync(join(hfHome, 'token'), 'hf_from_file\n');
    expect(hubSettingsFromEnv({ HOME: home, HF_HOME: hfHome }).token).toBe('hf_from_file');
    expect(hubSettingsFromEnv({ HOME: home, HF_HOME: hfHome, HUGGING_FACE_HUB_TOKEN: 'hf_legacy' }).token).toBe('hf_legacy');
    expect(hubSettingsFromEnv({ HOME: home, HF_HOME: hfHome, HUGGING_FACE_HUB_TOKEN: 'hf_legacy', HF_TOKEN: 'hf_new' }).token).toBe('hf_new');
    expect(hubSettingsFromEnv({ HOME: home, HF_HOME: hfHome, HF_TOKEN: ' ' }).token).toBe('hf_from_file');
  });
});
