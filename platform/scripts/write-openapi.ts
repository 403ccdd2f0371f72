/** Regenerates platform/openapi.json from the zod contract (`npm run platform:openapi`). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApi } from '../../shared/http/openapi';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../openapi.json');
fs.writeFileSync(file, JSON.stringify(buildOpenApi(), null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)}`);
