/** `costspan prices list`: the catalog's models and prices. */
import { CATALOG_SOURCE, catalogProviderId, listCatalogModels } from '@costspan/pricing';
import { optionalDate, parseCommandArgs, str } from '../args.js';
import { type Command, EXIT_OK, UsageError } from '../command.js';
import { formatRate, table } from '../format.js';

const OPTIONS = {
  provider: { type: 'string', short: 'p' },
  search: { type: 'string', short: 's' },
  at: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const pricesListCommand: Command = {
  path: ['prices', 'list'],
  summary: 'List catalog models and their prices',
  help: `Usage: costspan prices list [--provider P] [--search S] [--at ISO-8601] [--json]

Lists the bundled catalog's models with the prices in effect (USD per million tokens).

Options:
  -p, --provider P   only this provider (gen_ai.provider.name, AI SDK id or catalog id)
  -s, --search S     only models whose id or name contains S (case-insensitive)
      --at ISO-8601  prices in effect at this time (default now)
      --json         print the list as JSON
  -h, --help         show this help`,

  run(args, io) {
    const { values } = parseCommandArgs(args, OPTIONS);
    const provider = str(values, 'provider');
    if (provider !== undefined && catalogProviderId(provider) === undefined) {
      throw new UsageError(`unknown provider '${provider}' (the catalog has no prices for it)`);
    }
    const options: Parameters<typeof listCatalogModels>[0] = {};
    if (provider !== undefined) options.provider = provider;
    const search = str(values, 'search');
    if (search !== undefined) options.search = search;
    const at = optionalDate(values, 'at');
    if (at !== undefined) options.at = at;
    const models = listCatalogModels(options);
    if (values.json === true) {
      io.out(JSON.stringify(models, null, 2));
      return EXIT_OK;
    }
    if (models.length === 0) {
      io.err('no catalog models match');
      return EXIT_OK;
    }
    const rows = [['provider', 'model', 'input', 'cached', 'cache write', 'output', 'notes']];
    for (const model of models) {
      const notes: string[] = [];
      for (const tier of model.tiers ?? [])
        notes.push(`>${tier.above}: ${formatRate(tier.prices.input)}/${formatRate(tier.prices.output)}`);
      if (model.prices.request !== undefined) notes.push(`${formatRate(model.prices.request)}/request`);
      if (model.dated) notes.push('dated prices');
      rows.push([
        model.provider,
        model.model,
        formatRate(model.prices.input),
        formatRate(model.prices.cacheRead),
        formatRate(model.prices.cacheWrite),
        formatRate(model.prices.output),
        notes.join('; '),
      ]);
    }
    io.out(table(rows));
    io.err(`${models.length} models, USD per million tokens, ${CATALOG_SOURCE}`);
    return EXIT_OK;
  },
};
