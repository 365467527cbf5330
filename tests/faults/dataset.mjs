// Writes a small v1 dataset for the fault tests: every Nth customer of the demo data with all
// of their events (so figures stay meaningful), and the demo's meta.json.
//
//   node tests/faults/dataset.mjs SOURCE_DIR OUT_DIR [EVERY_NTH=10]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [source, out, nth = '10'] = process.argv.slice(2);
if (!source || !out) {
  console.error('usage: node tests/faults/dataset.mjs SOURCE_DIR OUT_DIR [EVERY_NTH]');
  process.exit(2);
}
const every = Number(nth);
const read = (name) => JSON.parse(readFileSync(path.join(source, name), 'utf8'));
const customers = read('customers.json').data.filter((_, i) => i % every === 0);
const kept = new Set(customers.map((c) => c.id));
const events = read('events.json').data.filter((e) => kept.has(e.customer_id));
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'meta.json'), readFileSync(path.join(source, 'meta.json')));
writeFileSync(path.join(out, 'customers.json'), JSON.stringify({ data: customers, next_cursor: null }));
writeFileSync(path.join(out, 'events.json'), JSON.stringify({ data: events, next_cursor: null }));
console.log(`faults dataset: ${customers.length} customers, ${events.length} events in ${out}`);
