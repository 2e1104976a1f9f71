/**
 * A symbol that also carries, at the type level, what is registered under it, so that
 * `resolve(container, TASK_FACTORY)` is typed without casts. Tokens are `Symbol.for` keys so two
 * installed copies of this package agree on them. Plain string tokens are never used: they
 * collide across plugins and cannot be typed.
 */
export type InjectionTokenV1<T> = symbol & { readonly __injects?: T };

/** Creates a typed token. `description` shows up in error messages and debuggers. */
export function injectionToken<T>(description: string): InjectionTokenV1<T> {
  return Symbol.for(`rlgf:${description}`) as InjectionTokenV1<T>;
}
