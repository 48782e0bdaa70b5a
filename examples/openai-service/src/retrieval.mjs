// The retrieval steps of the RAG feature, each a client span of its own (written here with @opentelemetry/api and
// the semantic conventions' constants) with the attributes a cost rule or a shared resource matches on:
//   vector search  `query handbook`  db.system.name=qdrant, db.operation.name=query, db.collection.name,
//                                    db.query.summary, server.address/port, db.response.returned_rows
//   rerank         `POST`            http.request.method, server.address/port, url.full, http.response.status_code,
//                                    cohere.billed_units.search_units (what Cohere bills: search units)
// They run inside withCostAttribution, so the cost span processor stamps feature and tenant on them too.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_SYSTEM_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { ATTR_DB_RESPONSE_RETURNED_ROWS } from '@opentelemetry/semantic-conventions/incubating';

const tracer = trace.getTracer('@costspan/example-openai-service');

/** The search units Cohere billed for a rerank call (its response's `meta.billed_units.search_units`). */
export const ATTR_COHERE_SEARCH_UNITS = 'cohere.billed_units.search_units';

/** Runs `fn(span)` in an active client span, recording an error on it if `fn` throws. */
function clientSpan(name, attributes, fn) {
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error?.message ?? error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

function serverAttributes(url) {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { [ATTR_SERVER_ADDRESS]: url.hostname, [ATTR_SERVER_PORT]: port };
}

/**
 * @param {URL} url
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @returns {Promise<{ status: number, json: any }>} the provider's JSON answer, read as the provider documents it
 */
async function postJson(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return { status: res.status, json };
}

/**
 * A toy embedding (8 numbers from the words of the text) standing in for an embeddings call: the point here is
 * the vector search and rerank spans, not the embedding.
 */
export function embed(text) {
  const v = new Array(8).fill(0);
  for (const [i, word] of String(text).split(/\s+/).entries()) v[i % 8] += (word.length % 7) / 7;
  return v.map((x) => Number(x.toFixed(3)));
}

/** Qdrant Query API: the `limit` nearest passages of `collection`. */
export async function vectorSearch(qdrantUrl, collection, text, limit) {
  const url = new URL(`/collections/${encodeURIComponent(collection)}/points/query`, qdrantUrl);
  return clientSpan(
    `query ${collection}`,
    {
      [ATTR_DB_SYSTEM_NAME]: 'qdrant',
      [ATTR_DB_OPERATION_NAME]: 'query',
      [ATTR_DB_COLLECTION_NAME]: collection,
      [ATTR_DB_QUERY_SUMMARY]: `query ${collection}`,
      ...serverAttributes(url),
    },
    async (span) => {
      const { json } = await postJson(url, { query: embed(text), limit, with_payload: true });
      const points = json.result?.points ?? [];
      span.setAttribute(ATTR_DB_RESPONSE_RETURNED_ROWS, points.length);
      return points.map((p) => String(p.payload?.text ?? ''));
    },
  );
}

/** Cohere Rerank v2: the `topN` most relevant documents, with the search units billed on the span. */
export async function rerank(cohereUrl, query, documents, topN) {
  const url = new URL('/v2/rerank', cohereUrl);
  return clientSpan(
    'POST',
    { [ATTR_HTTP_REQUEST_METHOD]: 'POST', [ATTR_URL_FULL]: url.href, ...serverAttributes(url) },
    async (span) => {
      const { status, json } = await postJson(
        url,
        { model: 'rerank-v3.5', query, documents, top_n: topN },
        { authorization: `Bearer ${process.env.COHERE_API_KEY ?? 'sim'}` },
      );
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      span.setAttribute(ATTR_COHERE_SEARCH_UNITS, Number(json.meta?.billed_units?.search_units ?? 0));
      return (json.results ?? []).map((r) => documents[r.index]);
    },
  );
}
