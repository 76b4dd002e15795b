// A StrykerJS ignorer (stryker.config.json → plugins, ignorers): skips mutants inside the arguments of
// zod's `.describe(…)` and `.meta(…)` — OpenAPI descriptions and schema ids (/api/openapi.json), text
// for readers that no rule decides on. A mutant there is not a change of behaviour, so it is left out
// of the score rather than listed as a survivor (docs/development/tests.md → Mutation testing).
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const DOC_METHODS = new Set(["describe", "meta"]);

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "zod-docs", {
    shouldIgnore(path) {
      const parent = path.parentPath;
      if (!parent?.isCallExpression() || !parent.node.arguments.includes(path.node)) return undefined;
      const callee = parent.node.callee;
      if (callee.type === "MemberExpression" && callee.property.type === "Identifier" && DOC_METHODS.has(callee.property.name)) {
        return "zod .describe()/.meta(): OpenAPI documentation, not behaviour";
      }
      return undefined;
    },
  }),
];
