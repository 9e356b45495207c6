/** An in-process API on a MemoryStore, for controller tests: the real registries, no HTTP. */
import { newScheme } from '../../src/api/resources.js';
import { Registries } from '../../src/apiserver/registries.js';
import { InProcessClient } from '../../src/client/inprocess.js';
import { MemoryStore } from '../../src/storage/memory/store.js';
import { type Clock, realClock } from '../../src/util/clock.js';

export async function newTestApi(clock: Clock = realClock) {
  const scheme = newScheme();
  const store = new MemoryStore();
  const registries = new Registries(scheme, store, clock);
  await registries.bootstrap();
  return { scheme, store, registries, client: new InProcessClient(registries) };
}

/** Polls fn until it stops throwing (no fixed sleeps); rethrows its last error after timeoutMs. */
export async function eventually(fn: () => Promise<void> | void, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await fn();
      return;
    } catch (err) {
      if (performance.now() > deadline) throw err;
      await new Promise((r) => setImmediate(r));
    }
  }
}
