/**
 * Thrown by a formatter that cannot run at all (its configuration refused, its code not loading):
 * the message says why, and the file is left as the change wrote it with that reason
 * (projectFormatter.ts). A file it cannot parse is an ordinary failure.
 */
export class FormatterUnavailable extends Error {}
