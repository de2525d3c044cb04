import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts the worker script `name` that sits next to the calling module: `<name>.js` beside its bundle
 * chunk (dist/bundle, an entry of scripts/bundle.mjs) or its tsc output, and `<name>.ts` when the
 * caller runs from the TypeScript sources (tests, tsx), loaded through tsx as the rest of the sources.
 * `from` is the caller's import.meta.url.
 */
export function startWorker(from: string, name: string, options: WorkerOptions): Worker {
  const fromSources = from.endsWith(".ts");
  const script = new URL(`./${name}${fromSources ? ".ts" : ".js"}`, from);
  if (!fromSources) return new Worker(script, options);
  const load = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(load, { ...options, eval: true });
}
