/**
 * The station's camera: live preview and continuous QR decoding.
 *
 * Decoding uses the BarcodeDetector API through the `barcode-detector` ponyfill
 * (zxing-cpp compiled to WebAssembly, `zxing-wasm`). Its `.wasm` is bundled by Vite
 * into our own `dist/assets` and located there explicitly: by default the library
 * would fetch it from a CDN, and a gate has no internet. This module is loaded
 * on demand (dynamic import) so the gate screen does not wait for it.
 */
import { BarcodeDetector, prepareZXingModule } from 'barcode-detector/ponyfill';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

const OVERRIDES = {
  locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
};

/**
 * Loads and compiles the decoder now (not on the first frame), so that a decoder
 * that cannot load (a content policy refusing WebAssembly, a missing file) says so
 * on its own instead of as a silent camera.
 */
export async function loadDecoder(): Promise<void> {
  try {
    await prepareZXingModule({ overrides: OVERRIDES, fireImmediately: true });
  } catch (err) {
    throw new Error(`QR decoder: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export interface Camera {
  stop(): void;
}

/** The same code held in front of the lens is read once, not once per frame. */
const REPEAT_AFTER_MS = 4000;
const FRAME_INTERVAL_MS = 120;

export async function startCamera(video: HTMLVideoElement, onscan: (text: string) => void): Promise<Camera> {
  await loadDecoder();
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera API in this window');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch {
    // Some engines (WebKitGTK) refuse these hints outright: any camera will do.
    stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  }
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const detector = new BarcodeDetector({ formats: ['qr_code'] });
  let stopped = false;
  let busy = false;
  let last = '';
  let lastAt = 0;
  const timer = setInterval(() => {
    if (stopped || busy || video.readyState < 2) return;
    busy = true;
    detector
      .detect(video)
      .then((codes) => {
        const text = codes[0]?.rawValue;
        if (!text || stopped) return;
        const now = performance.now();
        if (text === last && now - lastAt < REPEAT_AFTER_MS) {
          lastAt = now;
          return;
        }
        last = text;
        lastAt = now;
        onscan(text);
      })
      .catch((err: unknown) => console.warn('QR decoding failed', err))
      .finally(() => {
        busy = false;
      });
  }, FRAME_INTERVAL_MS);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
