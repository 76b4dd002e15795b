import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkLinks, markdownFiles, slugger } from "./links";

const root = process.cwd();

describe("the documentation's links", () => {
  it("every relative link and #anchor in every *.md resolves, and none leaves the repository", () => {
    const files = markdownFiles(root);
    expect(files).toContain("README.md");
    expect(files).toContain("docs/get-started.md");
    const problems = checkLinks(root, files).map((p) => `${p.file}:${p.line} ${p.target}: ${p.problem}`);
    expect(problems).toEqual([]);
  }, 60_000); // ~2 s alone; parsing every page takes longer on a loaded machine
});

describe("checkLinks", () => {
  const fixture = (pages: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), "corex-links-"));
    for (const [name, text] of Object.entries(pages)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return { dir, problems: () => checkLinks(dir, Object.keys(pages)).map((p) => `${p.file}:${p.line} ${p.target}: ${p.problem}`) };
  };

  it("accepts links to files, folders and headings, in the same page or another", () => {
    const { problems } = fixture({
      "README.md": "# Top\n\n[a](docs/a.md#the-api-apiopenapijson) [b](#top) [c](docs/) [d](docs/#index) [e](https://example.com/x#y)\n",
      "docs/README.md": "# Index\n",
      "docs/a.md": "# A\n\n## The API (`/api/openapi.json`)\n\n[up](../README.md#top)\n",
    });
    expect(problems()).toEqual([]);
  });

  it("reports a missing file, a missing anchor, an absolute path and a path outside the repository", () => {
    const { problems } = fixture({
      "README.md": "# Top\n\n[gone](docs/gone.md)\n[anchor](docs/a.md#nope)\n[abs](/docs/a.md)\n[out](../shared/x.md)\n\nSee `../../shared/design.md`.\n",
      "docs/a.md": "# A\n",
    });
    expect(problems()).toEqual([
      "README.md:3 docs/gone.md: no such file or folder",
      "README.md:4 docs/a.md#nope: no heading with the anchor #nope",
      "README.md:5 /docs/a.md: absolute path: link relative to this file instead",
      "README.md:6 ../shared/x.md: points outside the repository",
      "README.md:8 ../../shared/design.md: names a path outside the repository",
    ]);
  });

  it("reports a file named in backticks from the repository's root that does not exist", () => {
    const { problems } = fixture({
      "README.md": "# T\n\n`docs/a.md` is here, `docs/gone.md` is not; `lib/<domain>/index.ts` is a pattern and `other/x.ts` names no folder here.\n",
      "docs/a.md": "# A\n",
    });
    expect(problems()).toEqual(["README.md:3 docs/gone.md: names a file the repository does not have"]);
  });

  it("ignores links inside code blocks", () => {
    const { problems } = fixture({ "README.md": "# T\n\n```md\n[gone](gone.md)\n```\n" });
    expect(problems()).toEqual([]);
  });
});

describe("slugger (GitHub's heading anchors)", () => {
  it("drops punctuation, keeps letters, digits, hyphens and underscores, numbers repeats", () => {
    const slug = slugger();
    expect(slug("Models (`lib/models`)")).toBe("models-libmodels");
    expect(slug("`npm run bench:quality`")).toBe("npm-run-benchquality");
    expect(slug("Trust model: which key can do what, how fast, and who can stop it")).toBe("trust-model-which-key-can-do-what-how-fast-and-who-can-stop-it");
    expect(slug("Audit: issue 20's behaviours — and_tests")).toBe("audit-issue-20s-behaviours--and_tests");
    expect(slug("Models (`lib/models`)")).toBe("models-libmodels-1");
    expect(slug("Models (`lib/models`)")).toBe("models-libmodels-2");
  });
});
