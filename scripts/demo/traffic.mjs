/** A small deterministic PRNG (mulberry32), so every run sends the same traffic. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** POST JSON, resolving to the parsed answer (throws on a non-2xx status). */
export async function postJson(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Runs `tasks` (functions returning promises) with at most `limit` in flight; resolves to their results.
 * @param {(() => Promise<unknown>)[]} tasks
 * @param {number} limit
 * @param {(done: number) => void} [onDone]
 */
export async function pool(tasks, limit, onDone = () => {}) {
  const results = new Array(tasks.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * `count` arrival offsets (ms) in [0, durationMs), uniformly random with a fixed seed, sorted: exactly `count`
 * requests per phase, so the phase's request rate is exact.
 */
export function arrivals(count, durationMs, seed) {
  const next = random(seed);
  return Array.from({ length: count }, () => Math.floor(next() * durationMs)).sort((a, b) => a - b);
}

/**
 * Sends one request at each arrival offset from `startMs` (wall clock) and resolves when all have answered.
 * @param {number} startMs
 * @param {number[]} offsets
 * @param {(i: number) => Promise<unknown>} send
 * @param {(done: number, failed: number) => void} [onDone]
 */
export async function sendAt(startMs, offsets, send, onDone = () => {}) {
  let done = 0;
  let failed = 0;
  await Promise.all(
    offsets.map(
      (offset, i) =>
        new Promise((resolve) => {
          setTimeout(
            () => {
              send(i).then(
                () => resolve(onDone(++done, failed)),
                () => resolve(onDone(done, ++failed)),
              );
            },
            Math.max(0, startMs + offset - Date.now()),
          );
        }),
    ),
  );
  return { done, failed };
}
