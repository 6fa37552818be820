/**
 * A JSON number as the exact decimal it was written as: digits × 10^−scale. The shortest
 * round-trip form (`String(n)`) gives back the written decimal for up to 15 significant digits,
 * so 82.4 is 824 × 10^−1 and 84.0000001 is 840000001 × 10^−7, with no binary error.
 */
function exactDecimal(n: number): { digits: bigint; scale: number } {
  const [mantissa = '0', exponent] = String(n).toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [int = '0', frac = ''] = mantissa.replace('-', '').split('.');
  let digits = BigInt(int + frac);
  let scale = frac.length - (exponent === undefined ? 0 : Number(exponent));
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: negative ? -digits : digits, scale };
}

/** Full points of `value` below `threshold`, computed on the decimals as written (99 − 98.0 is 1, 85 − 84.0000001 is below 1). */
export function shortfallBelow(threshold: number, value: number, rounding: 'floor' | 'ceil' | 'round'): number {
  const t = exactDecimal(threshold),
    v = exactDecimal(value);
  const scale = Math.max(t.scale, v.scale);
  const gap = t.digits * 10n ** BigInt(scale - t.scale) - v.digits * 10n ** BigInt(scale - v.scale);
  if (gap <= 0n) return 0;
  const one = 10n ** BigInt(scale);
  const whole =
    rounding === 'floor' ? gap / one : rounding === 'ceil' ? (gap + one - 1n) / one : (2n * gap + one) / (2n * one);
  return Number(whole);
}
