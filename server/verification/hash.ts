// Hamming distance of the 64-bit perceptual hashes (16 hex characters) from server/photos/photo-hash.ts.
const HEX64 = /^[0-9a-f]{16}$/i;

export function isHash64(hex: string): boolean {
  return HEX64.test(hex);
}

/** Number of differing bits; throws on a malformed hash so a bad record never reads as "similar". */
export function hammingDistance(a: string, b: string): number {
  if (!isHash64(a) || !isHash64(b)) throw new RangeError(`not a 64-bit hex hash: ${isHash64(a) ? b : a}`);
  let x = BigInt.asUintN(64, BigInt(`0x${a}`) ^ BigInt(`0x${b}`));
  let bits = 0;
  while (x > 0n) {
    x &= x - 1n;
    bits += 1;
  }
  return bits;
}
