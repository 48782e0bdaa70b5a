import { report, SCENARIOS, simulate } from './simulate.mjs';

console.log(report(SCENARIOS.map((perHour) => simulate(perHour))));
