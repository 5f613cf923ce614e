// The first paint of a long answer: the `state` message carries only the start of each long text
// (FIRST_PAINT_CHARS, enough for the first screen) and the page asks for the rest once it has
// painted. A 256 K character body laid out and raw is half a megabyte to serialise, relay and
// clone on its way into the webview; the status line should not wait for all of it.
import { cutEnd } from '../engine';
import { FIRST_PAINT_CHARS, type BodyView, type PanelView, type TextSlot } from '../panel/protocol';

export type RestTexts = Partial<Record<TextSlot, string>>;

/**
 * The view to post first, with each long text cut to its start and `rest` set to `key`, and the
 * texts' remainders by slot; `rest` is null (and the view unchanged) when every text is short.
 */
export function splitForFirstPaint(view: PanelView, key: string, chars = FIRST_PAINT_CHARS): { view: PanelView; rest: RestTexts | null } {
  if ('none' in view.run) return { view, rest: null };
  const rest: RestTexts = {};
  const split = (body: BodyView | null, side: 'request' | 'response'): BodyView | null => {
    if (!body) return body;
    const cut = { ...body };
    const rawEnd = cutEnd(body.raw, chars);
    if (rawEnd < body.raw.length) {
      rest[`${side}.raw`] = body.raw.slice(rawEnd);
      cut.raw = body.raw.slice(0, rawEnd);
    }
    if (body.formatted !== null) {
      const end = cutEnd(body.formatted, chars);
      if (end < body.formatted.length) {
        rest[`${side}.formatted`] = body.formatted.slice(end);
        cut.formatted = body.formatted.slice(0, end);
      }
    }
    return cut;
  };
  const run = view.run;
  const request = run.request ? { ...run.request, body: split(run.request.body, 'request') } : null;
  const response = run.response?.kind === 'response' ? { ...run.response, body: split(run.response.body, 'response') as BodyView } : run.response;
  if (Object.keys(rest).length === 0) return { view, rest: null };
  return { view: { ...view, rest: key, run: { ...run, request, response } }, rest };
}
