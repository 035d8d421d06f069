import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where CRM uploads wait to be imported, and where their error files are kept. */
export const crmUploadDir = join(tmpdir(), 'triad-crm-imports');

export const crmErrorFileOf = (id: number) => join(crmUploadDir, `import-${id}.errors.jsonl`);
