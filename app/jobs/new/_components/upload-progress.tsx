import { ProgressBar } from "@/components/progress-bar";
import { describeProgress } from "./upload-request";
import type { DatasetState } from "./use-dataset";

/** While a file uploads: bytes sent, then bytes and rows the server has parsed, then its last phases. */
export function UploadProgressBar({ dataset }: { dataset: DatasetState }) {
  const { uploading, progress, file } = dataset;
  if (!uploading || !progress || !file) return null;
  return (
    <div data-testid="upload-progress">
      <ProgressBar {...describeProgress(progress, file.size)} />
    </div>
  );
}
