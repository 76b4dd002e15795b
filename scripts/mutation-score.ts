// Prints StrykerJS's result as one line: `mutation score <percent>% (<killed>/<total>)`. Killed counts
// mutants a test failed on or that timed out; total adds the survivors and those no test reached
// (NoCoverage). Compile and runtime errors and ignored mutants are not mutants of the code's behaviour.
import { readFileSync } from "node:fs";

type Report = { files: Record<string, { mutants: { status: string; mutatorName: string; location: { start: { line: number } }; replacement?: string }[] }> };

const file = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "reports/mutation/mutation.json";
const report = JSON.parse(readFileSync(file, "utf8")) as Report;
let killed = 0;
let total = 0;
const survivors: string[] = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  for (const m of mutants) {
    if (m.status === "Killed" || m.status === "Timeout") killed++;
    else if (m.status === "Survived" || m.status === "NoCoverage") survivors.push(`${file}:${m.location.start.line} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? "")} (${m.status})`);
    else continue;
    total++;
  }
}
if (process.argv.includes("--survivors")) for (const s of survivors) console.log(s);
console.log(`mutation score ${total === 0 ? "0.00" : ((100 * killed) / total).toFixed(2)}% (${killed}/${total})`);
