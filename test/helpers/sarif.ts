import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';

/**
 * The official SARIF 2.1.0 schema, offline. Its uri and date-time formats are checked too, not
 * skipped with a warning each.
 */
export const validateSarif = addFormats(new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false })).compile(sarifSchema);
