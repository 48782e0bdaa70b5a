/** The command registry: add a command by adding its file here. */
import type { Command } from '../command.js';
import { collectorCommand } from './collector.js';
import { consolidateCommand } from './consolidate.js';
import { forecastCommand } from './forecast.js';
import { priceCommand } from './price.js';
import { pricesCheckCommand } from './prices-check.js';
import { pricesListCommand } from './prices-list.js';
import { compareCommand, exportCommand, reconcileCommand, reportCommand } from './reporting.js';

export const COMMANDS: readonly Command[] = [
  priceCommand,
  pricesListCommand,
  pricesCheckCommand,
  reportCommand,
  reconcileCommand,
  compareCommand,
  forecastCommand,
  consolidateCommand,
  exportCommand,
  collectorCommand,
];
