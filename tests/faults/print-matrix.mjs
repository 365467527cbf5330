// Prints the fault matrix (rows: faults, columns: operations, cells: outcomes) from the rows the
// fault tests recorded, and writes it to a file.
//
//   node tests/faults/print-matrix.mjs RESULTS_DIR OUT_FILE
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [dir, out] = process.argv.slice(2);
const rows = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
if (rows.length === 0) {
  console.error('fault matrix: no rows were recorded');
  process.exit(1);
}
// Keep the order the tests ran in: matrix rows first, then the scenario rows.
rows.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
const columns = [...new Set(rows.flatMap((r) => Object.keys(r.cells)))];
const table = [['fault \\ operation', ...columns], ...rows.map((r) => [r.fault, ...columns.map((c) => r.cells[c] ?? 'n/a')])];
const widths = columns.map((_, i) => Math.max(...table.map((r) => r[i + 1].length))); 
const first = Math.max(...table.map((r) => r[0].length));
const line = (r) => [r[0].padEnd(first), ...r.slice(1).map((c, i) => c.padEnd(widths[i]))].join(' | ').trimEnd();
const rule = ['-'.repeat(first), ...widths.map((w) => '-'.repeat(w))].join('-+-');
const text = [line(table[0]), rule, ...table.slice(1).map(line)].join('\n') + '\n';
writeFileSync(out, text);
console.log(`\nFault matrix (fault × operation → outcome), also in ${out}:\n`);
console.log(text);
