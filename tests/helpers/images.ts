// Synthetic but structured photos (shapes, gradients, text) from a seed, and the transformations a cheat
// applies to re-use one: re-encode, resize, slight crop, brighten.
import sharp from 'sharp';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return ((s >>> 0) % 100_000) / 100_000;
  };
}

export function sceneSvg(seed: number, width = 800, height = 600): string {
  const r = rng(seed);
  const colour = () => `rgb(${Math.floor(r() * 255)},${Math.floor(r() * 255)},${Math.floor(r() * 255)})`;
  const shapes: string[] = [];
  for (let i = 0; i < 14; i += 1) {
    const x = Math.floor(r() * width); const y = Math.floor(r() * height);
    shapes.push(r() < 0.5
      ? `<rect x="${x}" y="${y}" width="${Math.floor(r() * width * 0.5)}" height="${Math.floor(r() * height * 0.5)}" fill="${colour()}"/>`
      : `<circle cx="${x}" cy="${y}" r="${Math.floor(r() * height * 0.3)}" fill="${colour()}"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
}

export async function scenePhoto(seed: number, width = 800, height = 600, format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const img = sharp(Buffer.from(sceneSvg(seed, width, height)));
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 88 }).toBuffer();
}

export const transforms = {
  reencode: (b: Buffer) => sharp(b).jpeg({ quality: 60 }).toBuffer(),
  resize: (b: Buffer) => sharp(b).resize({ width: 640 }).jpeg({ quality: 85 }).toBuffer(),
  crop: async (b: Buffer) => {
    const m = await sharp(b).metadata();
    const w = m.width ?? 0; const h = m.height ?? 0;
    return sharp(b).extract({ left: Math.round(w * 0.03), top: Math.round(h * 0.03), width: Math.round(w * 0.94), height: Math.round(h * 0.94) }).jpeg({ quality: 85 }).toBuffer();
  },
  brighten: (b: Buffer) => sharp(b).modulate({ brightness: 1.15 }).jpeg({ quality: 85 }).toBuffer(),
};
