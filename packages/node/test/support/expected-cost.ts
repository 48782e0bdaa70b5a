import { createPriceBook, type PriceOverrides } from '@costspan/pricing';
import { CHAT_MODEL, CHAT_USAGE } from './fake-openai.js';

/** What the price book answers for the fake provider's chat completion (optionally with an overrides file). */
export function expectedChatCost(overrides?: string | PriceOverrides): number {
  const result = createPriceBook(overrides === undefined ? {} : { overrides }).price({
    provider: 'openai',
    model: CHAT_MODEL,
    usage: CHAT_USAGE,
    serviceTier: 'default',
  });
  if (result.status !== 'priced') throw new Error(`fixture model is not priced: ${JSON.stringify(result)}`);
  return result.amount;
}
