/** Builds the price book for a command, turning a bad `--prices` file into a usage-level failure with its message. */
import { createPriceBook, type PriceBook, PriceOverridesError } from '@costspan/pricing';
import { UsageError } from './command.js';

export function priceBookFromFlag(pricesFile: string | undefined): PriceBook {
  try {
    return createPriceBook(pricesFile === undefined ? {} : { overrides: pricesFile });
  } catch (error) {
    if (error instanceof PriceOverridesError) throw new UsageError(error.message);
    throw error;
  }
}
