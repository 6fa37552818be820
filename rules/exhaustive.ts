/**
 * The `default` of a switch over a closed union (clause kinds, finding reasons, message blocks …):
 * `default: return assertNever(x, 'clause kind')`. When a member is added to the union, `x` is no
 * longer `never` there and `npm run typecheck` names every switch that must handle it. At run time
 * it only fires on data that bypassed validation.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
