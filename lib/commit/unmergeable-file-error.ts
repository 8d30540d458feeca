// A staged data file whose columns cannot be read back into the table's current schema
// exactly (a layout or type this system does not write). Its group is committed unmerged:
// a merge is an optimisation, and must never lose or change a value.
import { ExportError } from "../core/errors.js";

export class UnmergeableFileError extends ExportError {
  constructor(message: string, cause?: unknown) {
    super("INTERNAL", message, { cause });
  }
}
