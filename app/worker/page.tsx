import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { WebGpuProbe } from "./_components/webgpu-probe";

export const metadata: Metadata = { title: "Worker" };

export default function WorkerPage() {
  return (
    <>
      <PageHeader title="Browser worker">
        This tab can donate compute to training fragments. Below is what it would run on. Fragment claiming and
        computing arrive with the worker release; until then nothing is computed here.
      </PageHeader>
      <WebGpuProbe />
    </>
  );
}
