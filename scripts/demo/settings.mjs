/**
 * The demo's time compression. The seed's story is one GPU node at a fixed $3.60/h serving 200, 1,200 and 4,000
 * requests per hour, each request holding it about 2 s. The demo runs it COMPRESSION times faster on the real
 * clock: requests arrive COMPRESSION times as often (200/h → 12,000/h real) and take 1/COMPRESSION as long
 * (2 s → 33 ms), so utilization is the seed's. The node keeps its real rate ($3.60 per real hour) and the
 * allocation window is 3 real seconds. Every printed figure is measured on the real clock, so it checks by
 * hand: cost per request = $3.60 ÷ (real requests per hour); multiply by COMPRESSION for the seed's hour.
 */
export const COMPRESSION = 60;
export const NODE_ID = 'vllm-gpu-a';
export const NODE_HOURLY_RATE = 3.6;
export const WINDOW_MS = 3_000;
/** Each traffic level runs for two windows. */
export const PHASE_MS = 6_000;
/** Requests arrive in the first PHASE_MS − QUIET_TAIL_MS, so every request ends inside its own phase. */
export const QUIET_TAIL_MS = 400;
export const LEVELS_PER_HOUR = [200, 1_200, 4_000];
/** 2 s per request in the seed, compressed. */
export const VLLM_LATENCY_MS = Math.round(2_000 / COMPRESSION);
export const VLLM_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

/** Requests a phase sends: the seed's hourly level over the phase's compressed duration. */
export function phaseRequests(levelPerHour) {
  return Math.round((levelPerHour * COMPRESSION * PHASE_MS) / 3_600_000);
}

/** Provider traffic (feature × tenant × repetitions): fixed, so every run prices the same. */
export const PROVIDER_TRAFFIC = [
  { feature: 'support-chat', tenant: 'acme', count: 6 },
  { feature: 'support-chat', tenant: 'globex', count: 3 },
  { feature: 'summarize', tenant: 'acme', count: 4 },
  { feature: 'summarize', tenant: 'initech', count: 2 },
  { feature: 'search', tenant: 'globex', count: 5 },
  { feature: 'plan-trip', tenant: 'acme', count: 2 },
  { feature: 'plan-trip', tenant: 'initech', count: 1 },
  // RAG: a vector search (Qdrant, a shared $70/month pod) and a rerank call (Cohere, per search unit) per request.
  { feature: 'rag', tenant: 'globex', count: 4 },
  { feature: 'rag', tenant: 'initech', count: 2 },
];
export const ASSIST_TENANTS = ['acme', 'globex', 'initech'];
