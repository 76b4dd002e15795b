/**
 * Renders public/icon.svg into the raster icons browsers and phones ask for (favicon.ico with
 * 16/32/48 px PNG frames, apple-touch-icon.png 180 px) with the same Chromium the e2e tests use.
 * Run after changing the SVG: `npx tsx scripts/make-icons.ts`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { chromium } from "@playwright/test";
import { chromiumPath } from "@/e2e/support/chromium";

const svg = await readFile("public/icon.svg", "utf8");
const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
const page = await browser.newPage();
async function png(size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
  return page.screenshot({ omitBackground: true, type: "png" });
}

// ICO container holding PNG frames (supported by every current browser).
function ico(frames: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * frames.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(frames.length, 4);
  let offset = header.length;
  frames.forEach((f, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(f.size % 256, e);
    header.writeUInt8(f.size % 256, e + 1);
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(f.data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += f.data.length;
  });
  return Buffer.concat([header, ...frames.map((f) => f.data)]);
}

const frames = [];
for (const size of [16, 32, 48]) frames.push({ size, data: await png(size) });
await writeFile("public/favicon.ico", ico(frames));
await writeFile("public/apple-touch-icon.png", await png(180));
await browser.close();
console.log("wrote public/favicon.ico and public/apple-touch-icon.png");
