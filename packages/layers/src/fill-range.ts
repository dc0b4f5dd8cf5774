type NumberArray = Int32Array | Uint8Array | Float64Array;

/**
 * `array.fill(value, from, to)` as a loop: TypedArray#fill is a call into V8's C++ builtins,
 * several times the cost of writing the handful of slots a request's trace has.
 */
export function fillRange(array: NumberArray, value: number, from: number, to: number): void {
  for (let i = from; i < to; i++) array[i] = value;
}
