// The documentation's link check (scripts/docs/links.test.ts runs it in the unit project, so `npm test`
// and CI fail on a broken link): every relative link and `#anchor` in every tracked or new *.md resolves
// the way GitHub resolves it, and no document points at a path outside the repository.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Heading, Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString } from "mdast-util-to-string";

export type LinkProblem = { file: string; line: number; target: string; problem: string };

/**
 * Every *.md git tracks, plus new ones it does not ignore (so a page is checked before its first commit),
 * except drafts in docs/_incoming/: text waiting to be placed on its page, whose relative links are
 * written for that page, not for the draft's folder.
 */
export function markdownFiles(root: string): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.md"], { cwd: root, encoding: "utf8" });
  return [...new Set(out.split("\0").filter(Boolean))]
    .filter((f) => !f.startsWith("docs/_incoming/") && existsSync(path.join(root, f)))
    .sort();
}

/**
 * GitHub's heading anchors (github-slugger's rule): lower case, every character that is not a letter,
 * mark, number, connector (`_`), hyphen or space dropped, spaces turned into hyphens; a repeated slug
 * gets `-1`, `-2`, … in document order.
 */
export function slugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
    let slug = base;
    const n = seen.get(base);
    if (n !== undefined) {
      let i = n;
      do slug = `${base}-${++i}`;
      while (seen.has(slug));
      seen.set(base, i);
    }
    seen.set(slug, seen.get(slug) ?? 0);
    return slug;
  };
}

function walk(node: Nodes, visit: (n: Nodes) => void): void {
  visit(node);
  if ("children" in node) for (const child of node.children) walk(child as Nodes, visit);
}

type Parsed = { anchors: Set<string>; links: { target: string; line: number }[]; codePaths: { text: string; line: number }[]; repoPaths: { text: string; line: number }[] };

/** Inline code that reads as a file of the repository: `lib/chain/index.ts`, `docs/protocol/http.md` (no placeholders or globs). */
const repoPath = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.[\]-]+)+\.[a-z]+$/;

/** Headings' slugs, explicit `<a id|name>` anchors, every link / image / definition target, and inline code that names a path. */
export function parseMarkdown(text: string): Parsed {
  const tree: Root = fromMarkdown(text);
  const slug = slugger();
  const anchors = new Set<string>();
  const links: Parsed["links"] = [];
  const codePaths: Parsed["codePaths"] = [];
  const repoPaths: Parsed["repoPaths"] = [];
  walk(tree, (n) => {
    const line = n.position?.start.line ?? 0;
    if (n.type === "heading") anchors.add(slug(toString(n as Heading)));
    else if (n.type === "link" || n.type === "image" || n.type === "definition") links.push({ target: n.url, line });
    else if (n.type === "html") for (const m of n.value.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
    else if (n.type === "inlineCode" && /^\.\.?\//.test(n.value)) codePaths.push({ text: n.value, line });
    else if (n.type === "inlineCode" && repoPath.test(n.value)) repoPaths.push({ text: n.value, line });
  });
  return { anchors, links, codePaths, repoPaths };
}

const external = /^[a-z][a-z0-9+.-]*:/i;

const tops = new Map<string, Set<string>>();
function topFolders(root: string): Set<string> {
  let set = tops.get(root);
  if (!set) tops.set(root, (set = new Set(readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith(".")).map((d) => d.name))));
  return set;
}

/** What is wrong with the links of `files` (paths relative to `root`); empty when every link resolves. */
export function checkLinks(root: string, files: readonly string[]): LinkProblem[] {
  const cache = new Map<string, Parsed>();
  const parsed = (file: string) => {
    let p = cache.get(file);
    if (!p) cache.set(file, (p = parseMarkdown(readFileSync(path.join(root, file), "utf8"))));
    return p;
  };
  const inside = (abs: string) => abs === root || abs.startsWith(root + path.sep);
  const problems: LinkProblem[] = [];
  for (const file of files) {
    const { links, codePaths, repoPaths } = parsed(file);
    const dir = path.dirname(path.join(root, file));
    for (const { target, line } of links) {
      if (external.test(target)) continue;
      const report = (problem: string) => problems.push({ file, line, target, problem });
      const hash = target.indexOf("#");
      const rawPath = hash < 0 ? target : target.slice(0, hash);
      const fragment = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
      if (rawPath.startsWith("/")) {
        report("absolute path: link relative to this file instead");
        continue;
      }
      let abs = rawPath === "" ? path.join(root, file) : path.resolve(dir, decodeURIComponent(rawPath));
      if (!inside(abs)) {
        report("points outside the repository");
        continue;
      }
      if (!existsSync(abs)) {
        report("no such file or folder");
        continue;
      }
      if (fragment === undefined || fragment === "") continue;
      if (statSync(abs).isDirectory()) abs = path.join(abs, "README.md");
      if (!abs.endsWith(".md") || !existsSync(abs)) {
        report("anchor into something that is not a markdown page");
        continue;
      }
      if (!parsed(path.relative(root, abs)).anchors.has(fragment)) report(`no heading with the anchor #${fragment}`);
    }
    for (const { text, line } of codePaths) {
      if (!inside(path.resolve(dir, text))) problems.push({ file, line, target: text, problem: "names a path outside the repository" });
    }
    // `lib/x/y.ts` in backticks names a file from the repository's root when its first folder is one of
    // the root's folders: it must exist (a moved or renamed file leaves such mentions stale).
    for (const { text, line } of repoPaths) {
      const top = text.split("/")[0]!;
      if (topFolders(root).has(top) && !existsSync(path.join(root, text))) problems.push({ file, line, target: text, problem: "names a file the repository does not have" });
    }
  }
  return problems;
}
