import { chromium, type Browser } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A Y4M video whose frames show `text` as a QR code, for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`). The QR matrix comes from zxing-wasm's writer (the
 * UI's own dependency, its wasm read from disk).
 */
export async function qrVideo(text: string, path: string): Promise<void> {
  const zxing = join(root, 'ui/node_modules/zxing-wasm');
  const writer = (await import(join(zxing, 'dist/es/writer/index.js'))) as {
    prepareZXingModule: (o: object) => unknown;
    writeBarcode: (
      t: string,
      o: object,
    ) => Promise<{ error: string; symbol: { data: Uint8ClampedArray; width: number; height: number } }>;
  };
  writer.prepareZXingModule({
    overrides: { wasmBinary: readFileSync(join(zxing, 'dist/writer/zxing_writer.wasm')) },
    fireImmediately: true,
  });
  const { error, symbol } = await writer.writeBarcode(text, { format: 'QRCode' });
  if (error) throw new Error(error);
  const [w, h] = [640, 480];
  const scale = Math.floor(440 / symbol.width);
  const x0 = Math.floor((w - symbol.width * scale) / 2);
  const y0 = Math.floor((h - symbol.height * scale) / 2);
  const y = Buffer.alloc(w * h, 235);
  for (let r = 0; r < symbol.height * scale; r++) {
    for (let c = 0; c < symbol.width * scale; c++) {
      const dark = symbol.data[Math.floor(r / scale) * symbol.width + Math.floor(c / scale)] < 128;
      if (dark) y[(y0 + r) * w + x0 + c] = 16;
    }
  }
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

/** Debian's Chromium with a fake camera that films `video` (see [`qrVideo`]). */
export function chromiumFilming(video: string): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
}
