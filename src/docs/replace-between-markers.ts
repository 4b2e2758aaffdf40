/** Replaces the generated part of a hand-written document: everything between two marker lines, markers kept. */

/** `text` with the lines between `start` and `end` replaced by `content`; throws when a marker is missing. */
export function replaceBetweenMarkers(text: string, start: string, end: string, content: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`markers ${start} ... ${end} not found`);
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${text.slice(0, from + start.length)}\n${body}${text.slice(to)}`;
}
