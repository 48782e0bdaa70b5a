/** `costspan price`: what would this request cost? */
import { type PriceRequest, suggestModels } from '@costspan/pricing';
import { optionalCount, optionalDate, parseCommandArgs, requiredCount, str } from '../args.js';
import { type Command, EXIT_OK, EXIT_USAGE, UsageError } from '../command.js';
import { formatNanos, table } from '../format.js';
import { priceBookFromFlag } from '../price-book-from-flag.js';

const OPTIONS = {
  model: { type: 'string', short: 'm' },
  provider: { type: 'string', short: 'p' },
  'input-tokens': { type: 'string' },
  'output-tokens': { type: 'string' },
  'cache-read-tokens': { type: 'string' },
  'cache-write-tokens': { type: 'string' },
  'cache-write-1h-tokens': { type: 'string' },
  'reasoning-tokens': { type: 'string' },
  'input-audio-tokens': { type: 'string' },
  'output-audio-tokens': { type: 'string' },
  requests: { type: 'string' },
  at: { type: 'string' },
  'service-tier': { type: 'string' },
  prices: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const priceCommand: Command = {
  path: ['price'],
  summary: 'Price one request from its token counts',
  help: `Usage: costspan price --model M --input-tokens N --output-tokens N [options]

Prices one AI request with the bundled catalog (and your overrides). Token counts follow the
OpenTelemetry GenAI conventions: --input-tokens counts ALL input (cached included), --output-tokens
ALL output (reasoning included); the other counts are subsets of those.

Options:
  -m, --model M                  model as reported (gpt-4o-2024-08-06, openai/gpt-4o, models/gemini-2.5-pro)
  -p, --provider P               gen_ai.provider.name (openai, gcp.gemini, aws.bedrock...) or catalog id
      --input-tokens N           all input tokens (required)
      --output-tokens N          all output tokens (required)
      --cache-read-tokens N      input tokens read from the prompt cache
      --cache-write-tokens N     input tokens written to the prompt cache (5 min and 1 h together)
      --cache-write-1h-tokens N  the part of the cache writes with a 1-hour TTL
      --reasoning-tokens N       output tokens spent reasoning
      --input-audio-tokens N     input tokens that were audio
      --output-audio-tokens N    output tokens that were audio
      --requests N               requests, for per-request fees (default 1)
      --at ISO-8601              price in effect at this time (default now)
      --service-tier T           default | batch | flex | priority | a tier from your overrides
      --prices FILE              price overrides file (YAML or JSON)
      --json                     print the price book result as JSON
  -h, --help                     show this help

Exit codes: 0 priced, 2 unpriced (unknown model: close catalog names are suggested) or bad usage.

Example:
  costspan price --model claude-sonnet-4-0 --input-tokens 10000 --cache-read-tokens 8000 --output-tokens 500`,

  run(args, io) {
    const { values } = parseCommandArgs(args, OPTIONS);
    const model = str(values, 'model');
    if (model === undefined || model.trim() === '') throw new UsageError('--model is required');
    const request: PriceRequest = {
      model,
      usage: {
        inputTokens: requiredCount(values, 'input-tokens'),
        outputTokens: requiredCount(values, 'output-tokens'),
      },
    };
    const usage = request.usage;
    const optional: Array<[string, keyof typeof usage]> = [
      ['cache-read-tokens', 'cacheReadTokens'],
      ['cache-write-tokens', 'cacheWriteTokens'],
      ['cache-write-1h-tokens', 'cacheWrite1hTokens'],
      ['reasoning-tokens', 'reasoningTokens'],
      ['input-audio-tokens', 'inputAudioTokens'],
      ['output-audio-tokens', 'outputAudioTokens'],
      ['requests', 'requests'],
    ];
    for (const [flag, field] of optional) {
      const value = optionalCount(values, flag);
      if (value !== undefined) usage[field] = value;
    }
    if (usage.cacheWrite1hTokens !== undefined && usage.cacheWriteTokens === undefined) {
      usage.cacheWriteTokens = usage.cacheWrite1hTokens;
    }
    const provider = str(values, 'provider');
    if (provider !== undefined) request.provider = provider;
    const at = optionalDate(values, 'at');
    if (at !== undefined) request.timestamp = at;
    const serviceTier = str(values, 'service-tier');
    if (serviceTier !== undefined) request.serviceTier = serviceTier;

    const book = priceBookFromFlag(str(values, 'prices'));
    const result = book.price(request);

    if (result.status === 'unpriced') {
      if (values.json === true) io.out(JSON.stringify(result, null, 2));
      io.err(`costspan price: unpriced: ${result.reason}`);
      if (result.reason.startsWith('unknown model')) {
        const suggestions = suggestModels(model, provider === undefined ? {} : { provider });
        if (suggestions.length > 0) {
          io.err(`did you mean: ${suggestions.map((s) => `${s.model} (${s.provider})`).join(', ')}`);
        }
      }
      return EXIT_USAGE;
    }

    if (values.json === true) {
      io.out(JSON.stringify(result, null, 2));
      return EXIT_OK;
    }
    const header = [
      ['model', `${result.model} (${result.provider})`],
      ['status', result.status],
      ['source', result.source],
      ['service tier', result.serviceTier],
    ];
    if (result.tier !== undefined) header.push(['tier', result.tier]);
    const n = result.nanos;
    const lines = [
      table(header),
      '',
      table([
        ['input', formatNanos(n.input)],
        ['cache read', formatNanos(n.cacheRead)],
        ['cache write', formatNanos(n.cacheWrite)],
        ['output', formatNanos(n.output)],
        ['request fees', formatNanos(n.request)],
        ['total', `${formatNanos(n.amount)} ${result.currency}`],
      ]),
    ];
    if (result.reason !== undefined) lines.push('', `note: ${result.reason}`);
    io.out(lines.join('\n'));
    return EXIT_OK;
  },
};
