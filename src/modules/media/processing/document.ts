import { join } from 'node:path';
import { runTool, ToolFailure, type ToolOptions } from './run-tool.js';

export interface PdfOutput {
  pageCount: number;
  previewPath: string;
}

/**
 * Page count (pdfinfo) and a first-page PNG (pdftoppm), both poppler: it renders, it runs nothing
 * (no JavaScript, no launch actions). A PDF poppler cannot read stays a plain document.
 */
export async function processPdf(input: string, dir: string, tool: ToolOptions): Promise<PdfOutput | null> {
  let info: string;
  try {
    info = (await runTool('pdfinfo', [input], tool)).toString();
  } catch (err) {
    if (err instanceof ToolFailure && err.reason === 'undecodable') return null;
    throw err;
  }
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
  if (!Number.isInteger(pages) || pages < 1) return null;
  const prefix = join(dir, 'preview');
  await runTool('pdftoppm', ['-f', '1', '-l', '1', '-singlefile', '-scale-to', '640', '-png', input, prefix], tool);
  return { pageCount: pages, previewPath: `${prefix}.png` };
}
