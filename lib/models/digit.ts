// A digit drawn on a canvas → the input of an MNIST-style classifier. MNIST's digits were size-normalised
// to fit a 20 × 20 box (aspect ratio kept, grey levels from anti-aliasing) and placed in the 28 × 28 image
// with their centre of mass at the centre. A drawing is treated the same way, so a digit drawn small, large
// or off-centre reaches the model as the training digits did.

/** Grey levels 0–255 (ink high) of a width × height raster. */
export type Raster = { ink: ArrayLike<number>; width: number; height: number };

/** Pixels below this level count as background when the drawing's bounding box is found. */
const INK_THRESHOLD = 16;

function boundingBox({ ink, width, height }: Raster): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! < INK_THRESHOLD) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Area-averaging resample of the source rectangle [sx, sx + sw) × [sy, sy + sh) onto tw × th pixels: each
 * target pixel is the mean of the source area it covers, partial pixels weighted by their overlap.
 */
function resample(src: Raster, sx: number, sy: number, sw: number, sh: number, tw: number, th: number): Float64Array {
  const out = new Float64Array(tw * th);
  const fx = sw / tw;
  const fy = sh / th;
  for (let ty = 0; ty < th; ty++) {
    const a0 = sy + ty * fy;
    const a1 = a0 + fy;
    for (let tx = 0; tx < tw; tx++) {
      const b0 = sx + tx * fx;
      const b1 = b0 + fx;
      let sum = 0;
      for (let y = Math.floor(a0); y < Math.ceil(a1); y++) {
        const wy = Math.min(a1, y + 1) - Math.max(a0, y);
        for (let x = Math.floor(b0); x < Math.ceil(b1); x++) {
          const wx = Math.min(b1, x + 1) - Math.max(b0, x);
          sum += wx * wy * src.ink[y * src.width + x]!;
        }
      }
      out[ty * tw + tx] = sum / (fx * fy);
    }
  }
  return out;
}

/**
 * The drawing as a width × height grey image (row-major, 0–255, MNIST's 28 × 28 by default): cropped to its
 * ink, scaled so its longer side spans 20/28 of the image, and shifted so its centre of mass is the centre.
 * An empty drawing gives an empty image.
 */
export function digitImage(drawing: Raster, width = 28, height = 28): Float32Array {
  const out = new Float32Array(width * height);
  const box = boundingBox(drawing);
  if (!box) return out;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const fit = Math.max(1, Math.round((Math.min(width, height) * 20) / 28));
  const scale = fit / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  const small = resample(drawing, box.x0, box.y0, bw, bh, tw, th);
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x]!;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  // Top-left corner that puts the centre of mass at the image's centre, kept inside the image.
  const left = Math.min(Math.max(Math.round(width / 2 - mx / mass), 0), width - tw);
  const top = Math.min(Math.max(Math.round(height / 2 - my / mass), 0), height - th);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) out[(top + y) * width + left + x] = Math.min(255, small[y * tw + x]!);
  }
  return out;
}
