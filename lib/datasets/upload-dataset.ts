import "server-only";
import type { BlobStore } from "@/lib/blobs";
import type { PrismaClient } from "@/lib/db";
import { withUploadSlot } from "./parse-job";
import { datasetView, saveUploadedDataset, type DatasetView } from "./service";
import { saveUploadedText } from "./text-datasets";
import { readDatasetUpload } from "./upload";
import { trackUpload } from "./upload-progress";

export type UploadLimits = { maxBytes: number; concurrency: number; timeoutSeconds: number };

/**
 * POST /api/datasets: reads the upload and parses it in a worker thread (holding one of
 * `concurrency` upload slots), then stores it — the blob, then the row. Everything is validated
 * before anything is written: a refused file leaves no blob and no row. Where it stands is kept under
 * the client's upload id (./upload-progress.ts).
 */
export async function uploadDataset(db: PrismaClient, store: BlobStore, owner: string, request: Request, limits: UploadLimits): Promise<DatasetView> {
  const tracker = trackUpload(owner, request);
  try {
    const dataset = await withUploadSlot(limits.concurrency, async () => {
      const deadline = Date.now() + limits.timeoutSeconds * 1000;
      const upload = await readDatasetUpload(request, { maxBytes: limits.maxBytes, deadline, onProgress: (p) => tracker.update(p) });
      tracker.update({ phase: "storing" });
      return upload.kind === "text" ? datasetView(await saveUploadedText(db, store, owner, upload)) : await saveUploadedDataset(db, store, owner, upload);
    });
    tracker.done(dataset.id);
    return dataset;
  } catch (e) {
    tracker.failed(e);
    throw e;
  }
}
