// The modules' live parts (subscription hubs and the like): started once per gateway instance before
// it serves, stopped after it has drained, newest first.
import type { LiveDeps } from './module';
import { modules } from './modules';
import type { LiveParts } from './context';

export interface RunningLiveParts {
  parts: LiveParts;
  stop(): Promise<void>;
}

export async function startLiveParts(deps: LiveDeps): Promise<RunningLiveParts> {
  const parts = new Map<string, unknown>();
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch((error: unknown) => deps.log(`While stopping: ${String(error)}`));
  };
  try {
    for (const module of modules) {
      if (!module.live) continue;
      const live = module.live;
      const part = await live.start(deps);
      parts.set(module.name, part);
      stops.push(() => live.stop(part));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { parts, stop };
}
