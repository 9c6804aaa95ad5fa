/**
 * @module
 * How much one QR code holds, apart from the renderers so that the migration exporter can split
 * its batches without loading a QR encoder.
 */

/** Byte-mode capacity of a version 40 QR code at level M (ISO/IEC 18004 Table 7). */
export const MAX_QR_BYTES = 2331;
