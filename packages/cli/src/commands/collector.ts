/** `costspan collector`: flags, help and lifecycle in ../collector/; the gateway is @costspan/collector. */

import { answerCollectorQuery } from '@costspan/reporting';
import { COLLECTOR_USAGE, runCollectorCommand } from '../collector/collector-command.js';
import type { Command } from '../command.js';

const strip = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text);

export const collectorCommand: Command = {
  path: ['collector'],
  summary: 'Run the OTLP collector: price any service’s spans, store them, forward them to your backend',
  help: COLLECTOR_USAGE.replace('costspan-collector', 'costspan collector').trimEnd(),
  run: (args, io) =>
    runCollectorCommand(args, {
      stdout: (text) => io.out(strip(text)),
      stderr: (text) => io.err(strip(text).replace(/^costspan-collector:/gm, 'costspan collector:')),
      // `costspan report|reconcile --collector URL` query the running store through this.
      answerReportQuery: answerCollectorQuery,
    }),
};
