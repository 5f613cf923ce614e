// The run engine (src/engine/run-engine.ts) is bundled alone as dist/run-engine.js and loaded on
// the first run: activation reads only the editor's code. In tests compiled by tsc the import is
// the module itself.
import type * as RunEngine from '../engine/run-engine';

let loading: Promise<typeof RunEngine> | undefined;

/** The run engine, loaded once. */
export function loadRunEngine(): Promise<typeof RunEngine> {
  loading ??= import('../engine/run-engine.js');
  return loading;
}

/** The run engine when a run has loaded it; undefined before (nothing of it to close then). */
export function loadedRunEngine(): Promise<typeof RunEngine> | undefined {
  return loading;
}
