/** `costspan prices check FILE`: validate a price overrides file. */
import { loadPriceOverridesFile, PriceOverridesError } from '@costspan/pricing';
import { parseCommandArgs } from '../args.js';
import { type Command, EXIT_OK, EXIT_USAGE, UsageError } from '../command.js';

export const pricesCheckCommand: Command = {
  path: ['prices', 'check'],
  summary: 'Validate a price overrides file',
  help: `Usage: costspan prices check FILE

Validates a price overrides file (YAML or JSON) against the schema shipped with @costspan/pricing
(schema/price-overrides.schema.json). Every problem is printed as FILE: PATH: PROBLEM.

Exit codes: 0 valid, 2 invalid or missing.`,

  run(args, io) {
    const { positionals } = parseCommandArgs(args, {}, { allowPositionals: true });
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'FILE is required' : 'give exactly one FILE');
    const file = positionals[0] as string;
    try {
      const { overrides, source } = loadPriceOverridesFile(file);
      const models = overrides.models?.length ?? 0;
      const tiers = Object.keys(overrides.serviceTiers ?? {}).length;
      io.out(
        `${file}: valid (${models} model ${models === 1 ? 'entry' : 'entries'}, ${tiers} service-tier ${tiers === 1 ? 'multiplier' : 'multipliers'}; source ${source})`,
      );
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof PriceOverridesError)) throw error;
      io.err(error.message);
      return EXIT_USAGE;
    }
  },
};
