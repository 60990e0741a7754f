import * as fs from 'fs';
import { SCHEMA_FILE, generateApiSchema } from '../../tools/api-schema/generate';

describe('api-schema.ts', () => {
  test('is what tools/api-schema/generate.ts makes of the current sources (run `npx projen api-schema` after changing public API)', () => {
    // GIVEN the committed table of every public constructor's and static method's types
    const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
    // WHEN it is generated again from lib/index.ts
    const generated = generateApiSchema();
    // THEN
    expect(committed).toEqual(generated);
  }, 120_000);
});
