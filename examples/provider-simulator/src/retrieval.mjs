// Retrieval services a RAG feature calls beside the model, in their real response formats, deterministic:
// a Qdrant collection (`POST /collections/{name}/points/query`, the Query API) and Cohere Rerank
// (`POST /v2/rerank`, billed in search units: one per query of up to 100 documents of at most 500 tokens, longer
// documents counting once per 500-token chunk).
import { countTokens } from './usage.mjs';

export const QDRANT_QUERY_PATH = /^\/collections\/([^/]+)\/points\/query$/;
export const COHERE_RERANK_PATH = '/v2/rerank';

/** Passages of the simulated handbook collection. */
const PASSAGES = Array.from(
  { length: 40 },
  (_, i) =>
    `Handbook section ${i + 1}: ${'how to answer customers politely and cite the policy. '.repeat(2 + (i % 5))}`,
);

/** Qdrant Query API answer: the `limit` nearest points (cosine score), with payloads when asked. */
export function qdrantQuery(collection, body, seq) {
  const limit = Math.max(1, Math.min(Number(body.limit ?? 10), PASSAGES.length));
  const vector = Array.isArray(body.query) ? body.query : [];
  const seed = vector.reduce((a, v, i) => a + Math.round(Math.abs(Number(v)) * 1000) * (i + 1), seq);
  const points = Array.from({ length: limit }, (_, k) => {
    const id = (seed + k * 7) % PASSAGES.length;
    return {
      id,
      version: 3,
      score: Number((0.92 - k * 0.03).toFixed(4)),
      ...(body.with_payload === false ? {} : { payload: { collection, text: PASSAGES[id] } }),
    };
  });
  return { result: { points }, status: 'ok', time: 0.0021 };
}

/** Cohere Rerank v2 answer: `top_n` documents by relevance, with the search units billed. */
export function cohereRerank(body, seq) {
  const documents = Array.isArray(body.documents) ? body.documents : [];
  const topN = Math.max(1, Math.min(Number(body.top_n ?? documents.length), documents.length));
  const chunks = documents.reduce((n, d) => n + Math.ceil(countTokens(typeof d === 'string' ? d : d?.text) / 500), 0);
  const results = documents
    .map((_, index) => ({ index, relevance_score: Number((0.99 - ((index * 37 + seq) % 50) / 100).toFixed(4)) }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, topN);
  return {
    id: `rerank-sim-${seq}`,
    results,
    meta: { api_version: { version: '2' }, billed_units: { search_units: Math.max(1, Math.ceil(chunks / 100)) } },
  };
}

/**
 * What these services cost, as costspan config (`costs:` and `resources:` of COSTSPAN_CONFIG or the collector's
 * file): Cohere Rerank at $2.00 per 1,000 search units, read from the rerank span; the Qdrant collection runs on
 * a pod at $70 a month, shared by the queries it serves.
 */
export const RETRIEVAL_COSTS = [
  {
    name: 'cohere-rerank',
    component: 'rerank',
    match: { 'url.full': { regex: '/v2/rerank$' } },
    price: { perUnit: 2, attribute: 'cohere.billed_units.search_units', per: 1000 },
  },
];
export const RETRIEVAL_RESOURCES = [
  {
    id: 'qdrant-pod',
    monthlyRate: 70,
    component: 'retrieval',
    match: { 'db.system.name': 'qdrant' },
    method: 'requests',
  },
];
