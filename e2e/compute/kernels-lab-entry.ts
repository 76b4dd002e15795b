// Browser entry of the compute lab page: exposes lib/compute to Playwright's page.evaluate.
import * as compute from "@/lib/compute";
import { toyShard } from "@/lib/compute/test-data";

const lab = { ...compute, toyShard };
export type ComputeLab = typeof lab;
(globalThis as unknown as { corex: ComputeLab }).corex = lab;
