/** `costspan forecast`: month-end spend projections from @costspan/reporting, beside the shared file's budgets. */
import { loadCollectorConfig } from '@costspan/collector';
import type { ForecastBudget } from '@costspan/reporting';
import type { Command } from '../command.js';
import { FORECAST_USAGE, runForecastCommand } from '../reporting/forecast-command.js';
import { reportingIo } from './reporting.js';

/** The monthly budgets of a shared costspan.yaml, validated as the collector validates them. */
function monthlyBudgets(path: string): ForecastBudget[] {
  return (loadCollectorConfig(path).budgets ?? [])
    .filter((b) => b.window === 'month')
    .map((b) => ({
      name: b.name,
      ...(b.tenant === undefined ? {} : { tenant: b.tenant }),
      ...(b.feature === undefined ? {} : { feature: b.feature }),
      limitNanos: b.limitNanos,
    }));
}

export const forecastCommand: Command = {
  path: ['forecast'],
  summary: 'Project month-end spend per feature or tenant (seasonality, trend, interval) beside the budgets',
  help: FORECAST_USAGE.trimEnd(),
  run: (args, io) => runForecastCommand(args, reportingIo(io), { loadBudgets: monthlyBudgets }),
};
