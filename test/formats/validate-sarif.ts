/** A validator for the official SARIF 2.1.0 schema (vendored beside this file's source), for any test to use. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext its callable sits on `.default`.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };

let validator: ReturnType<Ajv['compile']> | undefined;

/** Validation errors as text, or undefined when `log` is valid SARIF 2.1.0. Compiles the schema once. */
export function sarifErrors(log: unknown): string | undefined {
  if (validator === undefined) {
    // This file runs from dist/test/formats/; the schema stays in the source tree.
    const schema = JSON.parse(readFileSync(new URL('../../../test/formats/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    validator = ajv.compile(schema);
  }
  return validator(log) ? undefined : JSON.stringify(validator.errors, null, 2);
}
