/**
 * Month-end spend projection from daily sums: classical decomposition into a day-of-week factor and a linear trend
 * over recent days, projected over the days left in the month, with a prediction interval from the residuals.
 * Spend so far is exact (integer nano-dollars); only the projection of the days to come is an estimate.
 */

const DAY_MS = 86_400_000;
/** Complete days before the as-of day that the model may look at. */
export const HISTORY_DAYS = 56;
/** The trend is fitted on the most recent days only (the "recent trend"). */
export const TREND_DAYS = 28;
/** Day-of-week factors need two weeks of history; below that every weekday weighs 1. */
const SEASONAL_MIN_DAYS = 14;
/** Below a week of history the trend is flat (the mean). */
const TREND_MIN_DAYS = 7;
/** Two-sided 90 % normal quantile: the interval holds the month-end about 9 times in 10 on regular series. */
export const INTERVAL_Z = 1.645;
export const INTERVAL_LEVEL = 0.9;

export interface MonthProjection {
  /** Exact spend from the month's start to the as-of instant, nano-dollars. */
  monthToDateNanos: bigint;
  /** Month-to-date plus the projection of the rest of the month. */
  projectedNanos: bigint;
  lowNanos: bigint;
  highNanos: bigint;
  /** Projected spend of each day of the month from the as-of day on (the as-of day: only its remaining part). */
  daily: Array<{ day: number; nanos: number }>;
  /** Fitted trend: change of the deseasonalized daily spend per day, nano-dollars. */
  trendPerDayNanos: number;
  /** Day-of-week factors, Monday first (mean 1). */
  weekdayFactors: number[];
  /** Complete days the model was fitted on. */
  daysFitted: number;
}

/** UTC midnight of the day holding `ms`. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Monday = 0 … Sunday = 6 of the UTC day starting at `day`. */
function weekday(day: number): number {
  return (new Date(day).getUTCDay() + 6) % 7;
}

/**
 * Projects the month [monthStart, monthEnd) as of `asOf`. `daily` maps UTC day starts to that day's exact spend
 * (days absent spent nothing); days at or after `asOf`'s day count only up to `asOf` (the caller sums spend before
 * `asOf`). The model is fitted on the complete days before the as-of day, from the group's first day with spend.
 */
export function projectMonth(
  daily: ReadonlyMap<number, bigint>,
  monthStart: number,
  monthEnd: number,
  asOf: number,
): MonthProjection {
  const at = Math.min(Math.max(asOf, monthStart), monthEnd);
  let monthToDate = 0n;
  for (const [day, nanos] of daily) if (day >= monthStart && day < monthEnd && day < at) monthToDate += nanos;
  const today = dayStart(at);
  const flat = { trendPerDayNanos: 0, weekdayFactors: [1, 1, 1, 1, 1, 1, 1] };

  // The complete days the model sees: from the first day with spend (at most HISTORY_DAYS back) to yesterday.
  const from = today - HISTORY_DAYS * DAY_MS;
  let first = Number.POSITIVE_INFINITY;
  for (const [day, nanos] of daily) if (day >= from && day < today && nanos > 0n && day < first) first = day;
  const days: number[] = [];
  for (let day = first; day < today; day += DAY_MS) days.push(day);
  const values = days.map((d) => Number(daily.get(d) ?? 0n));

  if (at >= monthEnd || days.length === 0) {
    return {
      monthToDateNanos: monthToDate,
      projectedNanos: monthToDate,
      lowNanos: monthToDate,
      highNanos: monthToDate,
      daily: [],
      ...flat,
      daysFitted: days.length,
    };
  }

  const x = days.map((d) => (d - today) / DAY_MS);
  // Day-of-week factors: each day's ratio to the centred 7-day mean around it (which holds one of every weekday,
  // so it follows the trend but not the week), averaged per weekday and normalized to mean 1.
  let factors = [1, 1, 1, 1, 1, 1, 1];
  if (days.length >= SEASONAL_MIN_DAYS) {
    const sums = [0, 0, 0, 0, 0, 0, 0];
    const counts = [0, 0, 0, 0, 0, 0, 0];
    for (let i = 3; i + 3 < days.length; i++) {
      let week = 0;
      for (let j = i - 3; j <= i + 3; j++) week += values[j]!;
      if (week <= 0) continue;
      sums[weekday(days[i]!)]! += values[i]! / (week / 7);
      counts[weekday(days[i]!)]! += 1;
    }
    if (counts.every((c) => c > 0)) {
      const raw = sums.map((s, w) => s / counts[w]!);
      const mean = raw.reduce((a, b) => a + b, 0) / 7;
      if (mean > 0) factors = raw.map((f) => f / mean);
    }
  }
  // Recent trend on the deseasonalized series.
  const recent = Math.max(0, days.length - TREND_DAYS);
  const tx = x.slice(recent);
  const ty = values.slice(recent).map((v, i) => {
    const f = factors[weekday(days[recent + i]!)]!;
    return f > 0 ? v / f : v;
  });
  const sloped = ty.length >= TREND_MIN_DAYS;
  const fit = sloped ? linearFit(tx, ty) : { a: ty.reduce((s, v) => s + v, 0) / ty.length, b: 0 };
  const meanX = tx.reduce((s, v) => s + v, 0) / tx.length;
  const sxx = tx.reduce((s, v) => s + (v - meanX) ** 2, 0);
  const dof = ty.length - (sloped ? 2 : 1);
  const sse = ty.reduce((s, v, i) => s + (v - (fit.a + fit.b * tx[i]!)) ** 2, 0);
  const sigma = dof > 0 ? Math.sqrt(sse / dof) : 0;

  // Days left: the rest of today (by the fraction of the day not yet passed), then each later day of the month.
  const projected: Array<{ day: number; nanos: number }> = [];
  let rest = 0;
  let noise = 0;
  let weight = 0;
  let leverage = 0;
  for (let day = today; day < monthEnd; day += DAY_MS) {
    const share = day === today ? (day + DAY_MS - at) / DAY_MS : 1;
    if (share <= 0) continue;
    const f = factors[weekday(day)]!;
    const t = (day - today) / DAY_MS;
    const nanos = Math.max(0, (fit.a + fit.b * t) * f) * share;
    projected.push({ day, nanos });
    rest += nanos;
    // Day-to-day noise of the days to come, and the uncertainty of the fitted level and slope they extrapolate.
    noise += f ** 2 * share;
    weight += f * share;
    leverage += f * share * (t - meanX);
  }
  const fitted = weight ** 2 / ty.length + (sloped && sxx > 0 ? leverage ** 2 / sxx : 0);
  const spread = INTERVAL_Z * sigma * Math.sqrt(noise + fitted);
  const round = (v: number) => BigInt(Math.round(v));
  const low = monthToDate + round(Math.max(0, rest - spread));
  return {
    monthToDateNanos: monthToDate,
    projectedNanos: monthToDate + round(rest),
    lowNanos: low,
    highNanos: monthToDate + round(rest + spread),
    daily: projected,
    trendPerDayNanos: fit.b,
    weekdayFactors: factors,
    daysFitted: days.length,
  };
}

/** The first day on which month-to-date plus the projection reaches `limit`, or null. */
export function exceedsOn(projection: MonthProjection, limitNanos: bigint): number | null {
  if (projection.monthToDateNanos >= limitNanos) return null;
  let total = Number(projection.monthToDateNanos);
  const limit = Number(limitNanos);
  for (const { day, nanos } of projection.daily) {
    total += nanos;
    if (total >= limit) return day;
  }
  return null;
}

/** Ordinary least squares y = a + b·x. */
function linearFit(x: readonly number[], y: readonly number[]): { a: number; b: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}
