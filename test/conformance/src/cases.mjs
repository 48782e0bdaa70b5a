// The declared cases of the conformance suite: for each producer, the version the main CI leg runs, what its spans
// report, and for each call the hand-computed price (integer nano-dollars, arithmetic in the comments: tokens ×
// $ per million tokens from the bundled catalog) or the flag costspan must raise instead. The suite
// (conformance.test.ts) asserts every call against these; the README matrix (scripts/write-matrix.mjs) is rendered
// from them and the last run's results.

// ---- openai.chat — o4-mini ($1.10 input, $0.275 cached input, $4.40 output per million): 2006 prompt tokens of
// which 1920 cached, 300 completion tokens (192 of them reasoning, billed as output).
/** (2006 − 1920) × 1.10 + 1920 × 0.275 + 300 × 4.40 = 94.6 + 528 + 1320 = 1942.6 µ$ */
const OPENAI_CHAT = 1_942_600;
/** Span without the cached count: 2006 × 1.10 + 300 × 4.40 = 2206.6 + 1320 = 3526.6 µ$ (what the span reports). */
const OPENAI_CHAT_TOTALS_ONLY = 3_526_600;

// ---- openai.chat.stream — gpt-4.1-mini ($0.40, $0.10 cached, $1.60): 1200 prompt (1024 cached), 80 completion.
/** (1200 − 1024) × 0.40 + 1024 × 0.10 + 80 × 1.60 = 70.4 + 102.4 + 128 = 300.8 µ$ */
const OPENAI_STREAM = 300_800;
/** Span without the cached count: 1200 × 0.40 + 80 × 1.60 = 480 + 128 = 608 µ$. */
const OPENAI_STREAM_TOTALS_ONLY = 608_000;

// ---- openai.chat.cache-write — gpt-5.6-terra ($2 input, $0.20 cached, $2.50 cache write — 1.25× input —, $12
// output): 10000 prompt tokens of which 4000 cache reads and 2000 cache writes, 1000 completion tokens.
/** (10000 − 4000 − 2000) × 2 + 4000 × 0.20 + 2000 × 2.50 + 1000 × 12 = 8000 + 800 + 5000 + 12000 = 25800 µ$ */
const OPENAI_CACHE_WRITE = 25_800_000;
/** Span without cached counts: 10000 × 2 + 1000 × 12 = 20000 + 12000 = 32000 µ$. */
const OPENAI_CACHE_WRITE_TOTALS_ONLY = 32_000_000;
/** Span without the write count (writes priced as input): 6000 × 2 + 4000 × 0.20 + 1000 × 12 = 24800 µ$. */
const OPENAI_CACHE_WRITE_NO_WRITES = 24_800_000;

// ---- anthropic.messages — claude-sonnet-4-5 ($3 input, $0.30 cache read, $3.75 5-minute write, $6 1-hour
// write, $15 output): 120 uncached input, 8000 cache reads, 2000 cache writes (1500 5-minute + 500 1-hour), 350 out.
/** 120 × 3 + 8000 × 0.30 + 1500 × 3.75 + 500 × 6 + 350 × 15 = 360 + 2400 + 5625 + 3000 + 5250 = 16635 µ$ */
const ANTHROPIC = 16_635_000;
/** Span without the write TTLs (all 2000 writes at the 5-minute rate): 360 + 2400 + 2000 × 3.75 + 5250 = 15510 µ$. */
const ANTHROPIC_NO_TTL = 15_510_000;

// ---- anthropic streamed — claude-haiku-4-5 ($1, $0.10 read, $1.25 5-minute write, $2 1-hour write, $5 out):
// 25 uncached input, 4096 cache reads, 1000 1-hour cache writes, 12 output.
/** 25 × 1 + 4096 × 0.10 + 1000 × 2 + 12 × 5 = 25 + 409.6 + 2000 + 60 = 2494.6 µ$ */
const ANTHROPIC_STREAM = 2_494_600;
/** Span without the write TTL (1000 writes at the 5-minute rate): 25 + 409.6 + 1000 × 1.25 + 60 = 1744.6 µ$. */
const ANTHROPIC_STREAM_NO_TTL = 1_744_600;

/** `messages.stream()` with SDK tracing and an instrumentation: whichever span is decided first carries it. */
const EITHER_STREAM = {
  processor: [ANTHROPIC_STREAM_NO_TTL, ANTHROPIC_STREAM],
  collector: [ANTHROPIC_STREAM_NO_TTL, ANTHROPIC_STREAM],
  'collector-split': [ANTHROPIC_STREAM_NO_TTL, ANTHROPIC_STREAM],
};

/**
 * What costspan must do with one call.
 * - `{ price }`: exactly one span of the call carries a cost, this amount; any other model-call span of the call is
 *   marked `duplicate`.
 * - `{ unpriced }`: the producer's span lacks the usage: it is `unpriced` with this reason, carries no amount, and
 *   the unpriced counter counts it.
 * - `{ existing }`: the span already carries another tool's cost (this attribute); costspan keeps it and writes no
 *   competing total.
 * - `at` (with `price`): the amount at a door where the call's two spans disagree (the instrumentation's span does
 *   not tell 1-hour cache writes apart) and the span decided first keeps the price (`collector-split`: the one
 *   that arrived first). An array when which span ends first is a race: exactly one of these, once.
 * - `gap` (with `price`): a known gap, listed in FINDINGS.md: at that door the call is priced twice, at exactly
 *   these amounts. Doors: `processor` (CostSpanProcessor), `collector` (the call's spans in one OTLP request),
 *   `collector-split` (each span in a request of its own, in end order). The suite fails when a gap closes, so
 *   the case is then updated.
 * @typedef {({ price: number, at?: Record<string, number | number[]> } | { unpriced: string } | { existing: string }) & { gap?: { finding: string,
 *   processor?: number[], collector?: number[], 'collector-split'?: number[] } }} Expectation
 */

/**
 * @typedef {object} ProducerCase
 * @property {string} id           producer id in producers.mjs
 * @property {string} name         as the README names it
 * @property {string} package      the npm package under test
 * @property {string} version      the version the main (Node 20) leg installs; the Node 24 leg may run a newer one
 * @property {string} client       the client library it instruments in the suite
 * @property {{ cacheRead: boolean, cacheWrite: boolean, cacheWrite1h: boolean, reasoning: boolean, streamingUsage: boolean }} reports
 * @property {Record<string, Expectation>} calls
 * @property {string} [note]
 */

const OPENAI_CLIENT = 'openai 6.49.0';
const ANTHROPIC_CLIENT = '@anthropic-ai/sdk 1.14.0';

/** @type {ProducerCase[]} */
export const CASES = [
  {
    id: 'costspan',
    name: 'costspan instrumentation',
    package: '@costspan/instrumentation',
    version: '0.1.0',
    client: `${OPENAI_CLIENT}, ${ANTHROPIC_CLIENT} (SDK tracing off)`,
    reports: { cacheRead: true, cacheWrite: true, cacheWrite1h: true, reasoning: true, streamingUsage: true },
    calls: {
      'openai.chat': { price: OPENAI_CHAT },
      'openai.chat.cache-write': { price: OPENAI_CACHE_WRITE },
      'openai.chat.stream': { price: OPENAI_STREAM },
      'anthropic.messages': { price: ANTHROPIC },
      'anthropic.messages.stream': { price: ANTHROPIC_STREAM },
      'anthropic.stream-helper': { price: ANTHROPIC_STREAM },
    },
  },
  {
    id: 'anthropic-sdk',
    name: 'Anthropic SDK built-in tracing',
    package: '@anthropic-ai/sdk',
    version: '1.14.0',
    client: ANTHROPIC_CLIENT,
    reports: { cacheRead: true, cacheWrite: true, cacheWrite1h: true, reasoning: false, streamingUsage: true },
    calls: {
      'anthropic.messages': { price: ANTHROPIC },
      'anthropic.messages.stream': { price: ANTHROPIC_STREAM },
      'anthropic.stream-helper': { price: ANTHROPIC_STREAM },
    },
  },
  {
    id: 'costspan+anthropic-sdk',
    name: 'costspan instrumentation + Anthropic SDK tracing',
    package: '@costspan/instrumentation',
    version: '0.1.0',
    client: ANTHROPIC_CLIENT,
    reports: { cacheRead: true, cacheWrite: true, cacheWrite1h: true, reasoning: false, streamingUsage: true },
    calls: {
      'anthropic.messages': { price: ANTHROPIC },
      'anthropic.messages.stream': { price: ANTHROPIC_STREAM },
      'anthropic.stream-helper': { price: ANTHROPIC_STREAM },
    },
    note: 'ours adds no span of its own when the SDK traces the call',
  },
  {
    id: 'otel-openai',
    name: 'OpenTelemetry contrib openai',
    package: '@opentelemetry/instrumentation-openai',
    version: '0.21.0',
    client: OPENAI_CLIENT,
    reports: { cacheRead: false, cacheWrite: false, cacheWrite1h: false, reasoning: false, streamingUsage: true },
    calls: {
      'openai.chat': { price: OPENAI_CHAT_TOTALS_ONLY },
      'openai.chat.cache-write': { price: OPENAI_CACHE_WRITE_TOTALS_ONLY },
      'openai.chat.stream': { price: OPENAI_STREAM_TOTALS_ONLY },
    },
    note: 'cached tokens are not on its spans: a cached call is priced as uncached; 0.22 on the Node 24 leg',
  },
  {
    id: 'openinference-openai',
    name: 'OpenInference openai',
    package: '@arizeai/openinference-instrumentation-openai',
    version: '4.2.7',
    client: OPENAI_CLIENT,
    reports: { cacheRead: true, cacheWrite: false, cacheWrite1h: false, reasoning: true, streamingUsage: false },
    calls: {
      'openai.chat': { price: OPENAI_CHAT },
      'openai.chat.cache-write': { price: OPENAI_CACHE_WRITE_NO_WRITES },
      'openai.chat.stream': { unpriced: 'no_usage' },
    },
    note: 'drops the usage chunk of a stream; OpenAI cache writes not reported (priced as input)',
  },
  {
    id: 'openinference-anthropic',
    name: 'OpenInference anthropic',
    package: '@arizeai/openinference-instrumentation-anthropic',
    version: '0.2.8',
    client: `${ANTHROPIC_CLIENT} (SDK tracing off)`,
    reports: { cacheRead: true, cacheWrite: true, cacheWrite1h: false, reasoning: false, streamingUsage: true },
    calls: {
      'anthropic.messages': { price: ANTHROPIC_NO_TTL },
      'anthropic.messages.stream': { price: ANTHROPIC_STREAM_NO_TTL },
      'anthropic.stream-helper': { price: ANTHROPIC_STREAM_NO_TTL },
    },
    note: '1-hour cache writes are not told apart: priced at the 5-minute rate',
  },
  {
    id: 'openinference-anthropic+anthropic-sdk',
    name: 'OpenInference anthropic + Anthropic SDK tracing',
    package: '@arizeai/openinference-instrumentation-anthropic',
    version: '0.2.8',
    client: ANTHROPIC_CLIENT,
    reports: { cacheRead: true, cacheWrite: true, cacheWrite1h: true, reasoning: false, streamingUsage: true },
    calls: {
      // Split requests: OpenInference's span (outer, ends first) arrives first and keeps the price; when
      // streaming the two end within a millisecond, in either order.
      'anthropic.messages': { price: ANTHROPIC, at: { 'collector-split': ANTHROPIC_NO_TTL } },
      'anthropic.messages.stream': {
        price: ANTHROPIC_STREAM,
        at: { 'collector-split': [ANTHROPIC_STREAM_NO_TTL, ANTHROPIC_STREAM] },
      },
      // Two traces, matched as one call (same tokens, model, process, nested times): the first decided keeps it.
      'anthropic.stream-helper': { price: ANTHROPIC_STREAM, at: EITHER_STREAM },
    },
    note: 'two spans per call (outer ends first; two traces with messages.stream()); where the outer span or the other trace is decided first, 1-hour writes are priced at the 5-minute rate',
  },
  {
    id: 'openllmetry-openai',
    name: 'OpenLLMetry openai',
    package: '@traceloop/instrumentation-openai',
    version: '0.27.0',
    client: OPENAI_CLIENT,
    reports: { cacheRead: false, cacheWrite: false, cacheWrite1h: false, reasoning: false, streamingUsage: false },
    calls: {
      'openai.chat': { price: OPENAI_CHAT_TOTALS_ONLY },
      'openai.chat.cache-write': { price: OPENAI_CACHE_WRITE_TOTALS_ONLY },
      'openai.chat.stream': { unpriced: 'no_usage' },
    },
    note: 'cached tokens are not on its spans; drops the usage chunk of a stream',
  },
  {
    id: 'openllmetry-anthropic',
    name: 'OpenLLMetry anthropic',
    package: '@traceloop/instrumentation-anthropic',
    version: '0.27.0',
    client: '@anthropic-ai/sdk 0.137.0 (SDK tracing off)',
    reports: { cacheRead: true, cacheWrite: true, cacheWrite1h: false, reasoning: false, streamingUsage: true },
    calls: {
      'anthropic.messages': { price: ANTHROPIC_NO_TTL },
      'anthropic.messages.stream': { price: ANTHROPIC_STREAM_NO_TTL },
      'anthropic.stream-helper': { price: ANTHROPIC_STREAM_NO_TTL },
    },
    note: 'throws on @anthropic-ai/sdk 1.x (patches the removed Completions API); 1-hour writes not told apart',
  },
  {
    id: 'openllmetry-anthropic+anthropic-sdk',
    name: 'OpenLLMetry anthropic + Anthropic SDK tracing',
    package: '@traceloop/instrumentation-anthropic',
    version: '0.27.0',
    client: '@anthropic-ai/sdk 0.137.0',
    reports: { cacheRead: true, cacheWrite: true, cacheWrite1h: true, reasoning: false, streamingUsage: true },
    calls: {
      'anthropic.messages': { price: ANTHROPIC },
      // Streaming: the two spans end within a millisecond, in either order.
      'anthropic.messages.stream': {
        price: ANTHROPIC_STREAM,
        at: { 'collector-split': [ANTHROPIC_STREAM_NO_TTL, ANTHROPIC_STREAM] },
      },
      'anthropic.stream-helper': { price: ANTHROPIC_STREAM, at: EITHER_STREAM },
    },
    note: 'two spans per call (outer ends first when streaming; two traces with messages.stream()); where the outer span or the other trace is decided first, 1-hour writes are priced at the 5-minute rate',
  },
  {
    id: 'openlit',
    name: 'OpenLIT',
    package: 'openlit',
    version: '1.15.0',
    client: `${OPENAI_CLIENT}, ${ANTHROPIC_CLIENT} (SDK tracing off)`,
    reports: { cacheRead: true, cacheWrite: true, cacheWrite1h: false, reasoning: false, streamingUsage: true },
    calls: {
      'openai.chat': { existing: 'gen_ai.usage.cost' },
      // gpt-5.6-terra is not in OpenLIT's price list: it writes a cost of 0, which is no price; costspan prices it.
      'openai.chat.cache-write': { price: OPENAI_CACHE_WRITE },
      'openai.chat.stream': { existing: 'gen_ai.usage.cost' },
      'anthropic.messages': { existing: 'gen_ai.usage.cost' },
      'anthropic.messages.stream': { existing: 'gen_ai.usage.cost' },
    },
    note: 'writes its own cost (kept; 0 for a model outside its price list, which costspan prices); breaks messages.stream() (not run)',
  },
  {
    id: 'ai-sdk',
    name: 'Vercel AI SDK telemetry',
    package: 'ai',
    version: '6.0.325',
    client: '@ai-sdk/openai 3.0.139 (chat)',
    reports: { cacheRead: true, cacheWrite: false, cacheWrite1h: false, reasoning: true, streamingUsage: true },
    calls: {
      'ai.generateText': { price: OPENAI_CHAT },
      'ai.streamText': { price: OPENAI_STREAM },
    },
  },
];

/** Token counts of the fixtures, by what they are: how the suite recognises what a producer's span reports. */
export const FIXTURE_COUNTS = {
  cacheRead: { 'openai.chat': 1920, 'anthropic.messages': 8000, 'ai.generateText': 1920 },
  cacheWrite: { 'anthropic.messages': 2000, 'openai.chat.cache-write': 2000 },
  cacheWrite1h: { 'anthropic.messages': 500 },
  reasoning: { 'openai.chat': 192, 'ai.generateText': 192 },
  /** Output tokens of the streamed answers (OpenLIT adds message_start's 1 to Anthropic's 12). */
  streamingUsage: {
    'openai.chat.stream': [80],
    'anthropic.messages.stream': [12, 13],
    'ai.streamText': [80],
  },
};
