// Parse YAML files strictly, as yaml-language-server does (the `yaml` package, YAML 1.2).
//
//   node parse.mjs FILE...     one JSON array of results on stdout
//   node parse.mjs --serve     one file path per stdin line, one JSON result per line
//
// A result is {file, errors, warnings, data}: errors and warnings as the parser words
// them (with line and column), data as JSON (null when there are errors). One Node
// process serves a whole test, so its start-up is paid once, not once per file.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseAllDocuments } from "yaml";

const OPTIONS = { prettyErrors: true, strict: true, uniqueKeys: true, version: "1.2" };

function parse(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    return { file, errors: [`cannot read: ${err.message}`], warnings: [], data: null };
  }
  const docs = parseAllDocuments(text, OPTIONS);
  const list = Array.isArray(docs) ? docs : [docs];
  const errors = list.flatMap((d) => d.errors.map((e) => e.message));
  const warnings = list.flatMap((d) => d.warnings.map((w) => w.message));
  if (list.length > 1) errors.push(`${list.length} documents in one file`);
  const data = errors.length || list.length === 0 ? null : list[0].toJS({ maxAliasCount: -1 });
  return { file, errors, warnings, data };
}

if (process.argv[2] === "--serve") {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line) process.stdout.write(JSON.stringify(parse(line)) + "\n");
  }
} else {
  process.stdout.write(JSON.stringify(process.argv.slice(2).map(parse)) + "\n");
}
