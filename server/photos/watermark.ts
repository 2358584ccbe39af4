// The watermarked copy (水印照片): time, customer, address and rep name burnt into the picture, in Chinese.
import sharp, { type Sharp } from 'sharp';

export interface WatermarkText { time: string; customer: string; address: string; rep: string }

const escapeMarkup = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function watermark(input: Buffer | Sharp, text: WatermarkText, fontFile: string, maxWidth = 1600): Promise<Buffer> {
  const base = (Buffer.isBuffer(input) ? sharp(input) : input.clone()).rotate().resize({ width: maxWidth, height: maxWidth, fit: 'inside', withoutEnlargement: true });
  const { data, info } = await base.raw().toBuffer({ resolveWithObject: true });
  const markup = `<span foreground="white">${escapeMarkup(`${text.time}  ${text.rep}`)}\n${escapeMarkup(text.customer)}\n${escapeMarkup(text.address)}</span>`;
  const fontSize = Math.max(12, Math.round(info.width / 45));
  const label = await sharp({ text: { text: markup, fontfile: fontFile, font: `WenQuanYi Micro Hei ${fontSize}`, rgba: true, width: info.width - 32, wrap: 'char' } }).png().toBuffer({ resolveWithObject: true });
  const bandHeight = Math.min(info.height, label.info.height + 24);
  const band = await sharp({ create: { width: info.width, height: bandHeight, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.45 } } }).png().toBuffer();
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .composite([
      { input: band, left: 0, top: info.height - bandHeight },
      { input: label.data, left: 16, top: info.height - bandHeight + 12 },
    ])
    .jpeg({ quality: 82 })
    .toBuffer();
}
