/** What a request to the Hub-style test server asks for, parsed from its path. */
export type HubRoute =
  | { readonly kind: 'resolve'; readonly repoType: 'model' | 'dataset'; readonly repo: string; readonly revision: string; readonly path: string }
  | { readonly kind: 'tree'; readonly repoType: 'model' | 'dataset'; readonly repo: string; readonly revision: string; readonly prefix: string }
  | { readonly kind: 'lfs'; readonly sha256: string };

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

// Each decoded part must stay one plain path component, or a request could escape the root.
const isSafeComponent = (text: string) => text !== '' && text !== '.' && text !== '..' && !/[/\\\0]/.test(text);

function decodeComponents(segments: readonly string[]): string[] | undefined {
  const decoded = segments.map(decode);
  return decoded.every((text): text is string => text !== undefined && isSafeComponent(text)) ? decoded : undefined;
}

/** A revision is one URL segment that may hold slashes once decoded (`refs%2Fpr%2F1`). */
function decodeRevision(segment: string | undefined): string | undefined {
  const revision = segment === undefined ? undefined : decode(segment);
  return revision !== undefined && revision.split('/').every(isSafeComponent) ? revision : undefined;
}

function repoParts(owner: string, name: string, revision: string, rest: readonly string[]) {
  const components = decodeComponents([owner, name, ...rest]);
  const decodedRevision = decodeRevision(revision);
  if (!components || decodedRevision === undefined) return undefined;
  const [decodedOwner, decodedName, ...path] = components;
  return { repo: `${decodedOwner}/${decodedName}`, revision: decodedRevision, path: path.join('/') };
}

/**
 * Parses a Hub URL path: `/<owner>/<name>/resolve/<rev>/<path>` (models),
 * `/datasets/<owner>/<name>/resolve/<rev>/<path>`, `/api/<models|datasets>/<owner>/<name>/tree/<rev>[/<prefix>]`,
 * and the server's own `/cdn-lfs/<sha256>` (where it redirects large files, as the Hub does to its
 * CDN). Returns undefined for anything else, including paths that would leave the served folder.
 */
export function parseHubRoute(pathname: string): HubRoute | undefined {
  const raw = pathname.split('/').slice(1);
  if (raw[0] === 'cdn-lfs') {
    return raw.length === 2 && /^[0-9a-f]{64}$/.test(raw[1]) ? { kind: 'lfs', sha256: raw[1] } : undefined;
  }
  if (raw[0] === 'api') {
    const segments = raw[raw.length - 1] === '' ? raw.slice(0, -1) : raw;
    const typeName = segments[1];
    if ((typeName !== 'models' && typeName !== 'datasets') || segments[4] !== 'tree' || segments.length < 6) return undefined;
    const parts = repoParts(segments[2], segments[3], segments[5], segments.slice(6));
    if (!parts) return undefined;
    return { kind: 'tree', repoType: typeName === 'models' ? 'model' : 'dataset', repo: parts.repo, revision: parts.revision, prefix: parts.path };
  }
  const repoType = raw[0] === 'datasets' ? 'dataset' : 'model';
  const segments = repoType === 'dataset' ? raw.slice(1) : raw;
  if (segments.length < 5 || segments[2] !== 'resolve') return undefined;
  const parts = repoParts(segments[0], segments[1], segments[3], segments.slice(4));
  if (!parts) return undefined;
  return { kind: 'resolve', repoType, repo: parts.repo, revision: parts.revision, path: parts.path };
}
