// The pixel-level second look at the few earlier photos the hash index returns: is this the same picture (a copy,
// re-encoded, resized, cropped by a few percent, brightened) or another moment of the same scene (framing, people,
// objects, light)? Pure: works on the small greyscale thumbnails stored with every photo (photo-hash.ts).
//
// One thumbnail is aligned inside the other (a crop or another framing is a region of the wider picture: a scale
// and an offset per axis), brightness and contrast are normalised away, and two things are measured:
//   similarity — the correlation of the aligned pixels (1 = identical);
//   changed    — the share of the picture that differs beyond what re-encoding and resampling leave (a new poster,
//                a passer-by, a moved stand). A copy changes nothing; a real second moment changes something.

/** Side of the square greyscale thumbnail (the whole frame squashed to it): 4 KB a photo. */
export const THUMB_SIDE = 64;

export interface PixelComparison {
  /** Correlation of the aligned, brightness-normalised thumbnails, −1..1. */
  similarity: number;
  /** Share (0..1) of the aligned picture whose normalised difference is beyond resampling noise. */
  changed: number;
  /** The alignment found: the smaller picture covers this share of the wider one, per axis. */
  scale: { x: number; y: number };
}

/** How much an image holds: the standard deviation of its greyscale thumbnail (0–255 scale). */
export function detailOf(thumb: Uint8Array): number {
  let sum = 0;
  let sq = 0;
  for (const v of thumb) { sum += v; sq += v * v; }
  const mean = sum / thumb.length;
  return Math.sqrt(Math.max(0, sq / thumb.length - mean * mean));
}

/** The largest crop (per axis) the search tries: copies are cropped by a few percent, new shots reframe more. */
const MIN_SCALE = 0.86;
/** Normalised difference (in standard deviations, over 3×3 pixels) that resampling and JPEG noise stay under. */
const CHANGE_LEVEL = 0.8;
/** Pixels within this distance of the border are left out of `changed`: the alignment is least sure there. */
const MARGIN = 2;

interface Image { px: Float64Array; n: number }

function toImage(thumb: Uint8Array): Image {
  const n = Math.round(Math.sqrt(thumb.length));
  if (n * n !== thumb.length || n < 8) throw new RangeError(`not a square thumbnail: ${thumb.length} bytes`);
  return { px: Float64Array.from(thumb), n };
}

function halve(img: Image): Image {
  const n = img.n >> 1;
  const px = new Float64Array(n * n);
  for (let y = 0; y < n; y += 1) {
    for (let x = 0; x < n; x += 1) {
      const i = 2 * y * img.n + 2 * x;
      px[y * n + x] = (img.px[i]! + img.px[i + 1]! + img.px[i + img.n]! + img.px[i + img.n + 1]!) / 4;
    }
  }
  return { px, n };
}

interface Warp { sx: number; sy: number; x0: number; y0: number }

/** `outer` sampled (bilinear) on the grid of the inner picture under `w` (all in the picture's own pixels). */
function sample(outer: Image, w: Warp, out: Float64Array): void {
  const { n, px } = outer;
  for (let y = 0; y < n; y += 1) {
    const fy = Math.min(n - 1, Math.max(0, w.y0 + (y + 0.5) * w.sy - 0.5));
    const y1 = Math.floor(fy); const y2 = Math.min(n - 1, y1 + 1); const ty = fy - y1;
    for (let x = 0; x < n; x += 1) {
      const fx = Math.min(n - 1, Math.max(0, w.x0 + (x + 0.5) * w.sx - 0.5));
      const x1 = Math.floor(fx); const x2 = Math.min(n - 1, x1 + 1); const tx = fx - x1;
      const top = px[y1 * n + x1]! * (1 - tx) + px[y1 * n + x2]! * tx;
      const bottom = px[y2 * n + x1]! * (1 - tx) + px[y2 * n + x2]! * tx;
      out[y * n + x] = top * (1 - ty) + bottom * ty;
    }
  }
}

function normalised(px: Float64Array): Float64Array {
  let sum = 0;
  for (const v of px) sum += v;
  const mean = sum / px.length;
  let sq = 0;
  for (const v of px) sq += (v - mean) ** 2;
  const sd = Math.sqrt(sq / px.length) || 1;
  return px.map((v) => (v - mean) / sd);
}

/** Pearson correlation of `b` with `za` (already normalised), without allocating: the search calls it thousands of times. */
function correlation(za: Float64Array, b: Float64Array): number {
  let sum = 0;
  let sq = 0;
  let dot = 0;
  for (let i = 0; i < b.length; i += 1) { const v = b[i]!; sum += v; sq += v * v; dot += za[i]! * v; }
  const n = b.length;
  const sd = Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2));
  return sd === 0 ? 0 : dot / n / sd; // Σza = 0, so the mean of b drops out of the dot product
}

/** Offsets from 0 to `max` (both ends: a crop from one side only) at most half a pixel apart. */
function offsets(max: number): number[] {
  const k = Math.max(1, Math.ceil(max / 0.5));
  return Array.from({ length: k + 1 }, (_, i) => (max * i) / k);
}

/** Best warp of `outer` onto `inner` at one resolution: a grid, then a shrinking local search. */
function align(inner: Image, outer: Image, start?: Warp, steps: [number, number] = [1, 0.25]): { w: Warp; r: number } {
  const za = normalised(inner.px);
  const buf = new Float64Array(inner.n * inner.n);
  const n = inner.n;
  const score = (w: Warp) => { sample(outer, w, buf); return correlation(za, buf); };
  const clamp = (w: Warp): Warp => {
    const sx = Math.min(1, Math.max(MIN_SCALE, w.sx)); const sy = Math.min(1, Math.max(MIN_SCALE, w.sy));
    return { sx, sy, x0: Math.min((1 - sx) * n, Math.max(0, w.x0)), y0: Math.min((1 - sy) * n, Math.max(0, w.y0)) };
  };
  let best = { w: { sx: 1, sy: 1, x0: 0, y0: 0 }, r: -Infinity };
  if (start) {
    best = { w: clamp(start), r: score(clamp(start)) };
  } else {
    for (let sx = 1; sx >= MIN_SCALE - 1e-9; sx -= 0.02) {
      for (let sy = 1; sy >= MIN_SCALE - 1e-9; sy -= 0.02) {
        for (const x0 of offsets((1 - sx) * n)) {
          for (const y0 of offsets((1 - sy) * n)) {
            const w = { sx, sy, x0, y0 };
            const r = score(w);
            if (r > best.r) best = { w, r };
          }
        }
      }
    }
  }
  for (let step = steps[0]; step >= steps[1] - 1e-9; step /= 2) {
    let improved = true;
    while (improved) {
      improved = false;
      const { w } = best;
      const ds = step / n;
      for (const c of [
        { ...w, x0: w.x0 + step }, { ...w, x0: w.x0 - step }, { ...w, y0: w.y0 + step }, { ...w, y0: w.y0 - step },
        { ...w, sx: w.sx + ds }, { ...w, sx: w.sx - ds }, { ...w, sy: w.sy + ds }, { ...w, sy: w.sy - ds },
        { ...w, sx: w.sx - ds, x0: w.x0 + step / 2 }, { ...w, sx: w.sx + ds, x0: w.x0 - step / 2 },
        { ...w, sy: w.sy - ds, y0: w.y0 + step / 2 }, { ...w, sy: w.sy + ds, y0: w.y0 - step / 2 },
        // the far edge held still: a crop taken from one side only
        { ...w, sx: w.sx - ds, x0: w.x0 + step }, { ...w, sx: w.sx + ds, x0: w.x0 - step },
        { ...w, sy: w.sy - ds, y0: w.y0 + step }, { ...w, sy: w.sy + ds, y0: w.y0 - step },
      ].map(clamp)) {
        const r = score(c);
        if (r > best.r + 1e-9) { best = { w: c, r }; improved = true; }
      }
    }
  }
  return best;
}

/**
 * Share of the inner picture (border left out) where the aligned pictures differ: the normalised difference,
 * averaged over 3×3 pixels so that the scattered residue of resampling and JPEG along edges drops out while a new
 * object of a few pixels stays.
 */
function changedShare(inner: Image, outer: Image, w: Warp): number {
  const n = inner.n;
  const buf = new Float64Array(n * n);
  sample(outer, w, buf);
  const za = normalised(inner.px);
  const zb = normalised(buf);
  const diff = za.map((v, i) => Math.abs(v - zb[i]!));
  let changed = 0;
  let counted = 0;
  for (let y = MARGIN; y < n - MARGIN; y += 1) {
    for (let x = MARGIN; x < n - MARGIN; x += 1) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy += 1) for (let dx = -1; dx <= 1; dx += 1) s += diff[(y + dy) * n + x + dx]!;
      counted += 1;
      if (s / 9 > CHANGE_LEVEL) changed += 1;
    }
  }
  return changed / counted;
}

/** A picture and its half and quarter sizes, for a coarse-to-fine search. */
function pyramid(img: Image): Image[] {
  const half = halve(img);
  return [halve(half), half, img];
}

const upscale = (w: Warp): Warp => ({ ...w, x0: w.x0 * 2, y0: w.y0 * 2 });

/** Aligns `inner` inside `outer`: a grid on quarter-size pictures, refined at half size (full size is the caller's). */
function alignInside(inner: Image[], outer: Image[]): { w: Warp; r: number } {
  const coarse = align(inner[0]!, outer[0]!);
  return align(inner[1]!, outer[1]!, upscale(coarse.w));
}

/**
 * Compares two photos' thumbnails. Either may be the crop of the other, so both ways are tried and the better
 * alignment kept.
 */
export function comparePixels(a: Uint8Array, b: Uint8Array): PixelComparison {
  const ia = toImage(a);
  const ib = toImage(b);
  if (ia.n !== ib.n) throw new RangeError('thumbnails of different sizes');
  const pa = pyramid(ia);
  const pb = pyramid(ib);
  const ab = alignInside(pa, pb);
  const ba = alignInside(pb, pa);
  const [inner, outer, half] = ab.r >= ba.r ? [ia, ib, ab] : [ib, ia, ba];
  const best = align(inner, outer, upscale(half.w), [0.5, 0.25]);
  return {
    similarity: Math.round(best.r * 1000) / 1000,
    changed: Math.round(changedShare(inner, outer, best.w) * 10000) / 10000,
    scale: { x: Math.round(best.w.sx * 1000) / 1000, y: Math.round(best.w.sy * 1000) / 1000 },
  };
}
