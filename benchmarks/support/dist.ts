// The packages as published: the built dist (run `pnpm build` first; `pnpm bench` does), not
// the TypeScript sources the tests use, so the numbers are those of the code users install
// (tsx's transform of the sources, for one, wraps every closure in a naming helper). The
// callers import the same API's types with `import type`, so the repo typechecks unbuilt.
export async function fromDist<T>(pkg: string): Promise<T> {
  const url = new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url);
  try {
    return (await import(url.href)) as T;
  } catch (error) {
    throw new Error(`Cannot load ${url.pathname}: run \`pnpm build\` first.`, { cause: error });
  }
}
