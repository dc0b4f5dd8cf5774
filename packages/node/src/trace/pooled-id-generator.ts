import { randomFillSync } from 'node:crypto';
import { INVALID_SPANID, INVALID_TRACEID } from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

// Random bytes drawn per refill: one call into the system's random source per 512 span ids.
const POOL_BYTES = 4096;
const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * Trace and span ids from a pool of cryptographic random bytes, written as hex with one
 * `String.fromCharCode` each.
 *
 * The SDK's generator draws each id from `Math.random()` into a shared Buffer and converts it
 * with `toString('hex')`, a call into C++: about 165 ns an id here, and every request starts
 * several spans; this one takes about 110 ns. The ids are flat strings, not slices of a larger
 * one, so an id an application keeps holds nothing else alive.
 */
export class PooledIdGenerator implements IdGenerator {
  private readonly pool = new Uint8Array(POOL_BYTES);
  private offset = POOL_BYTES;
  private readonly spanCodes = new Array<number>(16).fill(0);
  private readonly traceCodes = new Array<number>(32).fill(0);

  generateTraceId(): string {
    const id = this.hex(16, this.traceCodes);
    return id === INVALID_TRACEID ? this.generateTraceId() : id;
  }

  generateSpanId(): string {
    const id = this.hex(8, this.spanCodes);
    return id === INVALID_SPANID ? this.generateSpanId() : id;
  }

  /** The next `bytes` random bytes as lowercase hex; `codes` holds 2 × `bytes` char codes. */
  private hex(bytes: number, codes: number[]): string {
    if (this.offset + bytes > POOL_BYTES) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const pool = this.pool;
    const at = this.offset;
    this.offset = at + bytes;
    for (let i = 0; i < bytes; i++) {
      const byte = pool[at + i];
      codes[2 * i] = HEX[byte >> 4];
      codes[2 * i + 1] = HEX[byte & 15];
    }
    return String.fromCharCode.apply(null, codes);
  }
}
